"""Take the README's screenshot of the workbench (docs/workbench.png): `wirecoder serve`
on a store, in headless Chromium, with the most doubtful event of the review queue open.

Usage: .venv/bin/python scripts/workbench_screenshot.py --db wirecoder.db [--out docs/workbench.png]

Needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver) and
the serve and test extras. Make the store first: wirecoder run samples/ --db wirecoder.db
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,860")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "workbench.png"))
    args = parser.parse_args()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "wirecoder.cli", "serve", "--db", args.db, "--port", str(port),
                               "--review-token", "screenshot"])
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        options = webdriver.ChromeOptions()
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={tempfile.mkdtemp()}")
        # Debian's chromium and chromedriver, named: Selenium must not look for a browser online.
        options.binary_location = shutil.which("chromium") or "chromium"
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"), options=options)
        try:
            driver.get(f"http://127.0.0.1:{port}/")
            wait = WebDriverWait(driver, 20)
            wait.until(lambda d: d.find_element("tag name", "body").get_attribute("data-ready") == "true")
            driver.find_element("css selector", "#tabs button[data-tab='queue']").click()
            wait.until(lambda d: d.find_elements("css selector", "#queue li"))[0].click()
            wait.until(lambda d: [m for m in d.find_elements("css selector", "mark.evidence") if m.is_displayed()])
            time.sleep(1)  # let the map draw its base layer
            driver.save_screenshot(args.out)
            print(f"screenshot: {args.out}")
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
