"""The point a person clicks is the point they get (#14), in a real headless Chromium: a
small point beside a big one (a person next to the theme's diamond) is picked, not the big
one, and a new point is never placed inside a neighbour's drawn size."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from mapper.maps import KIND_STYLES, stable_positions
from mapper.maps.layout import POINT_GAP
from mapper.model import NodeKind
from mapper.store import SQLiteStore, open_store
from tests.fixtures_web import SINGLE_USER
from web import create_app
from web.map_layouts import save_layout

WAIT = 30


def test_a_new_point_lands_clear_of_a_big_neighbour():
    """A person placed beside the theme and someone else lands outside both drawn sizes,
    whatever side their id sends them to."""
    theme_size = KIND_STYLES[NodeKind.THEME].size * 1.6
    for i in range(40):
        jan = f"person-{i}"
        G = nx.Graph([("theme", jan), ("theme", "fatma"), ("fatma", jan)])
        sizes = {"theme": theme_size, "fatma": 11.0, jan: 11.0}
        placed = stable_positions(G, {"theme": (0.0, 0.0), "fatma": (70.0, 0.0)}, radius=sizes.get)
        for other in ("theme", "fatma"):
            gap = math.dist(placed[jan], placed[other])
            assert gap >= sizes[jan] + sizes[other] + POINT_GAP, (jan, other, gap)


@pytest.fixture
def live_app(tmp_path):
    """A theme with two people; Jan kept just beside the theme, inside its bounding square."""
    path = tmp_path / "klein.db"
    store = SQLiteStore(path)
    store.create_workspace("klein", "Bibliotheek Klein")
    ws = store.workspace("klein")
    theme = ws.add_node("Theme", "taal")
    jan = ws.add_node("Person", "Jan de Vries")
    fatma = ws.add_node("Person", "Fatma Yılmaz")
    ws.add_ties(
        [
            dict(kind="ACTIVE_ON", source=jan.id, target=theme.id, strength=0.6),
            dict(kind="ACTIVE_ON", source=fatma.id, target=theme.id, strength=0.6),
        ]
    )
    store.close()
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "WORKSPACE": "klein",
            "SECRET_KEY": "test",
            **SINGLE_USER,
        }
    )
    store = open_store(app.config["DATABASE_URL"])
    try:
        # the theme is drawn 48 units in size: Jan at (30, 30) is outside its diamond but
        # inside the square vis-network's own hit test uses
        save_layout(
            store.workspace("klein"),
            f"scan:{theme.id}",
            {theme.id: (0.0, 0.0), jan.id: (30.0, 30.0), fatma.id: (-200.0, 0.0)},
        )
    finally:
        store.close()
    app.config.update(TEST_THEME=theme.id, JAN=jan.id)
    return app


@pytest.mark.browser
def test_a_click_on_a_small_point_beside_the_theme_opens_that_point(live_server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    jan = live_server.app.config["JAN"]
    browser.get(f"{live_server.url}/scan/{live_server.app.config['TEST_THEME']}")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
    )
    container = browser.find_element(By.ID, "scan-map")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", container)
    x, y, square = browser.execute_script(
        """
        var net = window.scanMap.network, box = arguments[1], id = arguments[0];
        var at = net.getPositions([id])[id];
        net.moveTo({position: at, scale: 2, animation: false});
        var p = net.canvasToDOM(at);
        return [p.x - box.clientWidth / 2, p.y - box.clientHeight / 2, String(net.getNodeAt(p))];
        """,
        jan,
        container,
    )
    assert square != jan  # vis-network's own hit test gives the theme here
    ActionChains(browser).move_to_element_with_offset(container, round(x), round(y)).pause(
        0.2
    ).click().perform()
    WebDriverWait(browser, WAIT).until(lambda d: container.get_attribute("data-panel") == jan)
    assert browser.execute_script("return window.scanMap.network.getSelectedNodes();") == [jan]
