"""The dock's state (open tables, column mappings, parameter file, chosen layers) in the QGIS project.

Written as one JSON entry when the project is saved, read back when it is opened. File paths go
through the project's path handling, so a project saved with relative paths moves with its data.
"""
import json

SCOPE = "desert_carbon"
KEY = "dock_state"
# (tab, key) of file paths; a tab's "source" is a path only when its "kind" is "file".
PATHS = (("station", "source"), ("station", "parameters"), ("scenario", "source"))


def write_state(project, state):
    project.writeEntry(SCOPE, KEY, json.dumps(_convert_paths(state, project.writePath)))


def read_state(project):
    """The saved state, or None when the project has none (or an unreadable one)."""
    text, found = project.readEntry(SCOPE, KEY, "")
    if not found or not text:
        return None
    try:
        state = json.loads(text)
    except ValueError:
        return None
    return _convert_paths(state, project.readPath) if isinstance(state, dict) else None


def _convert_paths(state, convert):
    state = {key: dict(value) if isinstance(value, dict) else value for key, value in state.items()}
    for tab, key in PATHS:
        values = state.get(tab)
        if not values or not values.get(key):
            continue
        if key == "source" and values.get("kind") != "file":
            continue
        values[key] = convert(values[key])
    return state
