"""Copy front-end libraries from the npm registry into static/vendor/.

The copies are committed, so the portal runs on a machine without Node.js; where npm exists,
`python3 dev.py setup` refreshes them from package-lock.json.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
FILES = {
    "node_modules/chart.js/dist/chart.umd.min.js": "chart.js/chart.umd.min.js",
    "node_modules/chart.js/LICENSE.md": "chart.js/LICENSE.md",
}


def main() -> int:
    npm = shutil.which("npm")
    if not npm:
        missing = [dest for dest in FILES.values() if not (VENDOR / dest).exists()]
        if missing:
            print(f"npm is not installed and static/vendor lacks {missing}", file=sys.stderr)
            return 1
        return 0
    if not (ROOT / "node_modules" / "chart.js").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=ROOT, check=True)
    for source, dest in FILES.items():
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != (ROOT / source).read_bytes():
            shutil.copyfile(ROOT / source, target)
            print(f"static/vendor/{dest} updated from npm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
