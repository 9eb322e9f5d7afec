package nl.communitymapper.testserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * A throw-away Neo4j Community server for the test suite: the embedded DBMS with its Bolt
 * connector on 127.0.0.1, authentication on, its data in a new temporary folder.
 *
 * <p>Once Bolt accepts connections it prints, on standard output, one line each:
 *
 * <pre>
 * NEO4J_URI=bolt://127.0.0.1:PORT
 * NEO4J_USER=neo4j
 * NEO4J_PASSWORD=...
 * NEO4J_VERSION=5.26.x
 * READY
 * </pre>
 *
 * <p>SIGTERM or SIGINT shuts the DBMS down cleanly and deletes the folder.
 *
 * <p>Settings (environment): {@code NEO4J_TEST_PORT} (default: a free port),
 * {@code NEO4J_TEST_PASSWORD} (default: random), {@code NEO4J_TEST_PAGECACHE} (MiB, default
 * 128), {@code NEO4J_TEST_TX_MEMORY} (MiB a transaction may use, default 0 = unlimited),
 * {@code NEO4J_TEST_LOCK_TIMEOUT} (ms a transaction waits for a lock before it fails with a
 * transient error, default 0 = no limit), {@code NEO4J_TEST_HOME} (default: a new temporary folder, deleted at exit),
 * {@code NEO4J_TEST_STOP_ON_EOF} (when {@code 1}: also stop when standard input closes, so a
 * server started by a test run that was killed does not outlive it).
 */
public final class Neo4jTestServer {
    private static final String USER = "neo4j";
    private static final int START_ATTEMPTS = 5;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private Neo4jTestServer() {}

    public static void main(String[] args) throws Exception {
        String password = envOr("NEO4J_TEST_PASSWORD", randomPassword());
        long pagecacheMiB = Long.parseLong(envOr("NEO4J_TEST_PAGECACHE", "128"));
        long txMemoryMiB = Long.parseLong(envOr("NEO4J_TEST_TX_MEMORY", "0"));
        long lockTimeoutMs = Long.parseLong(envOr("NEO4J_TEST_LOCK_TIMEOUT", "0"));
        String fixedPort = System.getenv("NEO4J_TEST_PORT");
        String givenHome = System.getenv("NEO4J_TEST_HOME");
        Path home =
                givenHome != null && !givenHome.isEmpty()
                        ? Files.createDirectories(Path.of(givenHome))
                        : Files.createTempDirectory("mapper-neo4j-");
        boolean deleteHome = givenHome == null || givenHome.isEmpty();

        DatabaseManagementService dbms = null;
        int port = -1;
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS && dbms == null; attempt++) {
            port = fixedPort != null && !fixedPort.isEmpty() ? Integer.parseInt(fixedPort) : freePort();
            try {
                DatabaseManagementServiceBuilder builder =
                        new DatabaseManagementServiceBuilder(home)
                                .setConfig(BoltConnector.enabled, true)
                                .setConfig(
                                        BoltConnector.listen_address,
                                        new SocketAddress("127.0.0.1", port))
                                .setConfig(
                                        BoltConnector.advertised_address,
                                        new SocketAddress("127.0.0.1", port))
                                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                                .setConfig(
                                        GraphDatabaseSettings.pagecache_memory,
                                        ByteUnit.mebiBytes(pagecacheMiB));
                if (txMemoryMiB > 0) {
                    builder.setConfig(
                            GraphDatabaseSettings.memory_transaction_max_size,
                            ByteUnit.mebiBytes(txMemoryMiB));
                }
                if (lockTimeoutMs > 0) {
                    builder.setConfig(
                            GraphDatabaseSettings.lock_acquisition_timeout,
                            Duration.ofMillis(lockTimeoutMs));
                }
                dbms = builder.build();
            } catch (RuntimeException e) {
                // Most likely the port was taken between choosing and binding it: try another.
                lastFailure = e;
                if (fixedPort != null && !fixedPort.isEmpty()) {
                    break;
                }
            }
        }
        if (dbms == null) {
            System.err.println("neo4j-test-server: could not start: " + lastFailure);
            if (deleteHome) {
                deleteTree(home);
            }
            System.exit(1);
            return;
        }

        // The initial user neo4j/neo4j must change its password; set ours, without that demand.
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally(
                            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                            Map.of("password", password));
        } catch (RuntimeException e) {
            // Started again on an existing home with the same password: nothing to change.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }

        CountDownLatch stopped = new CountDownLatch(1);
        DatabaseManagementService running = dbms;
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        running.shutdown();
                                    } finally {
                                        if (deleteHome) {
                                            deleteTree(home);
                                        }
                                        System.err.println("neo4j-test-server: stopped");
                                        stopped.countDown();
                                    }
                                },
                                "neo4j-test-server-shutdown"));

        if ("1".equals(System.getenv("NEO4J_TEST_STOP_ON_EOF"))) {
            Thread watcher =
                    new Thread(
                            () -> {
                                try {
                                    while (System.in.read() >= 0) {
                                        // keep reading until the parent closes the pipe
                                    }
                                } catch (IOException e) {
                                    // the pipe broke: the parent is gone
                                }
                                System.exit(0);
                            },
                            "neo4j-test-server-stdin");
            watcher.setDaemon(true);
            watcher.start();
        }

        waitForBolt(port);
        String version = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        System.out.println("NEO4J_URI=bolt://127.0.0.1:" + port);
        System.out.println("NEO4J_USER=" + USER);
        System.out.println("NEO4J_PASSWORD=" + password);
        System.out.println("NEO4J_VERSION=" + version);
        System.out.println("NEO4J_HOME=" + home);
        System.out.println("READY");
        System.out.flush();
        stopped.await();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return "t" + HexFormat.of().formatHex(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt did not open port " + port, e);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.delete(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException exc)
                                throws IOException {
                            Files.delete(dir);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
