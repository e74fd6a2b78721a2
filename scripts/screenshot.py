"""Take a screenshot of a running LearnPulse page in headless Chromium: screenshot.py URL OUT.png [WIDTH]."""

import sys

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]


def main() -> None:
    url, out = sys.argv[1], sys.argv[2]
    width = int(sys.argv[3]) if len(sys.argv) > 3 else 1400
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(int(sys.argv[4]) if len(sys.argv) > 4 else 1500)
        page.screenshot(path=out, full_page=True)
        browser.close()
    print("console errors:", errors or "none")


if __name__ == "__main__":
    main()
