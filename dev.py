#!/usr/bin/env python3
"""One entry point for a fresh machine with only Python:

python3 dev.py run     # virtualenv, dependencies, SQLite, demo data and logins, then the portal
python3 dev.py test    # virtualenv, dependencies, then the whole test suite (extra args go to pytest)
python3 dev.py setup   # only the virtualenv and dependencies
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed"


def _run(*args: str, **kwargs) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, cwd=ROOT, check=True, **kwargs)


def setup() -> None:
    if not PYTHON.exists():
        print(f"Creating the virtualenv in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        _run(str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        _run(str(PYTHON), "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.write_text(wanted)
    vendor_static()


def vendor_static() -> None:
    """Copy front-end libraries from the npm registry into static/vendor (nothing loads from a CDN)."""
    script = ROOT / "scripts" / "vendor_static.py"
    if script.exists():
        _run(str(PYTHON), str(script))


def manage(*args: str) -> None:
    _run(str(PYTHON), "manage.py", *args)


def run(argv: list[str]) -> None:
    setup()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "litigation.settings.local")
    manage("migrate", "--no-input")
    manage("seed_demo", "--if-empty")
    manage("check_fonts")
    manage("runserver", *(argv or ["127.0.0.1:8000"]))


def test(argv: list[str]) -> int:
    setup()
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        print(
            "Note: Chromium is not installed, so the browser tests will be skipped "
            "(apt-get install chromium fonts-wqy-microhei). In CI they fail instead.",
            flush=True,
        )
    args = [str(PYTHON), "-m", "pytest", "-n", os.environ.get("PYTEST_WORKERS", "2"), *argv]
    print("+", " ".join(args), flush=True)
    return subprocess.run(args, cwd=ROOT).returncode


def main() -> int:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "run":
        run(rest)
    elif command == "test":
        return test(rest)
    elif command == "setup":
        setup()
    else:
        print(__doc__)
        return 0 if command == "help" else 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
