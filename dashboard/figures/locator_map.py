"""Where a unit is: every police force area in grey, the unit's own in the house blue.

The unit deck opens with it, so an audience outside the region sees at once which part of
England and Wales the figures are about. It carries no values, so it cannot mislead about them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.figures.map_labels import LABEL_LAYER, AreaLabel, glyphs_data_url, map_style
from dashboard.figures.theme import NEUTRAL, PALETTE, apply_theme

# Shows all of England and Wales in a portrait frame (about 3 x 4).
LOCATOR_VIEW = {"center": {"lat": 52.6, "lon": -2.3}, "zoom": 4.6}
OTHER_FILL = "#eceff1"
EDGE = "#ffffff"


def build_locator_map(
    geojson: dict[str, Any],
    highlighted: Sequence[str],
    name: str,
    labels: Sequence[AreaLabel] = (),
) -> go.Figure:
    """Force areas of `geojson`; those whose pfa_code is in `highlighted` filled, named `name`.

    `labels` (`map_labels.area_labels`, the unit's own) write the unit's name on its area when
    it fits at this small size, as the area map does; glyphs ride inside the figure.
    """
    codes = [feature["properties"]["pfa_code"] for feature in geojson["features"]]
    chosen = [code for code in codes if code in set(highlighted)]
    others = [code for code in codes if code not in set(highlighted)]
    figure = go.Figure()
    for locations, colour, label in (
        (others, OTHER_FILL, "Other force areas"),
        (chosen, PALETTE[0], name),
    ):
        figure.add_trace(
            go.Choroplethmap(
                geojson=geojson,
                featureidkey="properties.pfa_code",
                locations=locations,
                z=[1] * len(locations),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker_line={"color": EDGE if colour == OTHER_FILL else NEUTRAL, "width": 0.8},
                name=label,
                hoverinfo="skip",
                below=LABEL_LAYER,
            )
        )
    apply_theme(figure)
    figure.update_layout(
        map={"style": map_style(labels, glyphs_data_url()), **LOCATOR_VIEW},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
    )
    return figure
