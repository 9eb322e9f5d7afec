// Lint Cypher statements (a JSON list of strings, path in argv[2]) with Neo4j's own parser
// and semantic analysis. Prints each statement with a problem; exit status 1 if any.
// "Parameter $x is not defined" is expected (parameters are supplied at run time) and ignored.
import { lintCypherQuery } from '@neo4j-cypher/language-support';
import fs from 'fs';

const statements = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let bad = 0;
for (const statement of statements) {
  const problems = lintCypherQuery(statement, {}).diagnostics.filter(
    (d) => !d.message.startsWith('Parameter $'),
  );
  if (problems.length) {
    bad += 1;
    console.log(`----\n${statement}`);
    for (const p of problems) console.log(`   ${p.message}`);
  }
}
console.log(`${statements.length} Cypher statements checked, ${bad} with problems`);
process.exit(bad ? 1 : 0);
