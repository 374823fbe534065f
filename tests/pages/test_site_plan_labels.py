"""The patrol site plan fits its points and its labels overlap neither each other nor a point
(issue 19, point 12). The cluster below is the demo's 地库巡检 route as it was drawn on
2026-12-03: seven checkpoints within 150 × 60 m of a 500 × 380 m site, names piled on each other."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.plans.patrols import ShiftRoute
from ui.charts import patrols as patrol_charts
from ui.charts.labels import Box, label_box, place_labels

CLUSTER = pd.DataFrame(
    {
        "seq": [1, 2, 3, 4, 5, 6, 7],
        "name": [
            "地库入口",
            "地库A区",
            "地库B区",
            "地库C区",
            "消防泵房",
            "地库排风机房",
            "地库出口",
        ],
        "x": [160.0, 115.0, 180.0, 235.0, 262.0, 208.0, 196.0],
        "y": [272.0, 240.0, 232.0, 240.0, 268.0, 278.0, 294.0],
    }
)


def pixels(
    frame: pd.DataFrame, x_domain: list[float], y_domain: list[float]
) -> list[tuple[float, float]]:
    width, height = patrol_charts.PHONE_PLOT_WIDTH_PX, patrol_charts.PHONE_PLOT_HEIGHT_PX
    return [
        (
            (x - x_domain[0]) / (x_domain[1] - x_domain[0]) * width,
            (y - y_domain[0]) / (y_domain[1] - y_domain[0]) * height,
        )
        for x, y in zip(frame["x"], frame["y"], strict=True)
    ]


def collisions(boxes: list[Box], dots: list[tuple[float, float]]) -> int:
    among = sum(a.overlap(b) > 0 for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    on_dots = sum(
        box.overlap(Box(x - 8, y - 8, x + 8, y + 8)) > 0
        for i, box in enumerate(boxes)
        for j, (x, y) in enumerate(dots)
        if i != j
    )
    return among + on_dots


def test_the_axes_fit_the_route_not_the_whole_site() -> None:
    x_domain = patrol_charts.fitted_domain(CLUSTER["x"])
    y_domain = patrol_charts.fitted_domain(CLUSTER["y"])
    assert x_domain[0] < 115 and x_domain[1] > 262  # every point inside …
    assert x_domain[1] - x_domain[0] < 1.5 * (262 - 115)  # … without the empty site around
    assert y_domain[0] < 232 and y_domain[1] > 294
    # A route of one point still gets a readable span (40 m and a margin), centred on it.
    assert patrol_charts.fitted_domain(pd.Series([100.0, None])) == [74.0, 126.0]


def test_no_label_overlaps_another_or_a_point() -> None:
    # Placed on the whole site's axes (as the chart drew them before it fitted the route), the
    # points are at their closest: the hardest case for the labels.
    dots = pixels(CLUSTER, [0, 500], [0, 380])
    names = CLUSTER["name"].tolist()
    # Every name above its point, as the chart drew them: the trap is real.
    naive = [label_box(x, y, name, "above") for (x, y), name in zip(dots, names, strict=True)]
    assert collisions(naive, dots) > 0
    placed = place_labels(
        dots, names, CLUSTER["seq"].astype(str).tolist(),
        width=patrol_charts.PHONE_PLOT_WIDTH_PX, height=patrol_charts.PHONE_PLOT_HEIGHT_PX,
    )  # fmt: skip
    assert collisions([label.box for label in placed], dots) == 0
    assert all(
        label.box.inside(patrol_charts.PHONE_PLOT_WIDTH_PX, patrol_charts.PHONE_PLOT_HEIGHT_PX)
        for label in placed
    )
    assert sum(label.text == name for label, name in zip(placed, names, strict=True)) >= 5


def test_points_on_top_of_each_other_fall_back_to_their_numbers() -> None:
    dots = [(100.0, 100.0), (104.0, 101.0), (100.0, 106.0), (96.0, 101.0), (100.0, 95.0)]
    names = ["一号楼东侧门岗", "一号楼西侧门岗", "一号楼南侧门岗", "一号楼北侧门岗", "一号楼大堂"]
    placed = place_labels(dots, names, ["1", "2", "3", "4", "5"], width=290, height=250)
    assert any(label.text.isdigit() for label in placed)


def test_the_chart_labels_every_placed_point_once() -> None:
    moment = dt.datetime(2026, 12, 3, 21, 30)
    checkpoints = CLUSTER.assign(
        photo_required=False, status="visited", checked_at=pd.NaT, walk_order=None, photos=0
    )
    route = ShiftRoute(
        shift_id=1, label="地库巡检", plan="地库巡检", route="地库", guard="余**", status="done",
        planned_start=moment, planned_end=moment, started_at=None, ended_at=None,
        distance_m=None, expected_distance_m=None, expected_minutes=40,
        site_width_m=500, site_height_m=380, checkpoints=checkpoints,
        path=CLUSTER.assign(walk_order=range(1, 8), checked_at=pd.NaT), photos=(),
    )  # fmt: skip
    spec = patrol_charts.site_plan_chart(route).to_dict()
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts and all(spec["datasets"][layer["data"]["name"]] for layer in texts)
    assert sum(len(spec["datasets"][layer["data"]["name"]]) for layer in texts) == 7
