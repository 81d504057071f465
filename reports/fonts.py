"""Finding a CJK font for PDFs and screenshots (WeasyPrint embeds what fontconfig finds)."""

import shutil
import subprocess
from functools import lru_cache


@lru_cache(maxsize=1)
def cjk_font_families() -> tuple[str, ...]:
    """Font families fontconfig knows that cover Simplified Chinese; empty when none is installed."""
    if not shutil.which("fc-list"):
        return ()
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()}))


CJK_FONT_HINT = (
    "No CJK font found: circular PDFs would show empty boxes instead of Chinese. "
    "Install one, e.g. `apt-get install fonts-wqy-microhei` (5 MB) or `fonts-noto-cjk`."
)
