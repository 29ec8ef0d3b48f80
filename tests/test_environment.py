"""environment.yml (conda) and pyproject.toml (pip) declare the same dependencies and ranges."""

import re
import tomllib

from relief_analytics import paths


def _normalise(req: str) -> tuple[str, str]:
    m = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", req)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((paths.PROJECT_DIR / "pyproject.toml").read_text())["project"]
    declared = dict(_normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"])
    conda = {}
    text = (paths.PROJECT_DIR / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"\s+- ([a-z][^:#]*)$", line)
        if m and not m.group(1).startswith(("python", "pip", "-e")):
            name, spec = _normalise(m.group(1))
            conda[name] = spec
    assert conda == declared
