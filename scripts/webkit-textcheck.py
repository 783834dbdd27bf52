#!/usr/bin/python3
"""Diagram text boxes as WebKitGTK draws them (the desktop app's engine).

The browser e2e suite checks in Chromium that no text of the diagram (legend,
nodes, badges) overlaps other text or runs out of its box; this runs the same
check (frontend/e2e/layout.mjs, diagramTextProblems) in WebKitGTK 4.1 through
its GObject bindings, on the workbench served by `samthreat serve`:

  webkit-textcheck.py URL [SCREENSHOT.png]

at the fitted zoom and at the app's 200 % zoom (PAGE_ZOOMS=1,2 adds WebKit's
page zoom at 200 %); run it with GDK_SCALE=2 for a double-density screen. It prints one line per state and exits 1 on any problem, 2 when it
cannot run (no display, no WebKitGTK bindings, the page never shows the
diagram). Needs a display (Xvfb) and Debian's python3-gi and
gir1.2-webkit2-4.1.
"""
import json
import os
import sys
import time

try:
    import gi

    gi.require_version("Gtk", "3.0")
    gi.require_version("WebKit2", "4.1")
    from gi.repository import GLib, Gtk, WebKit2
except (ImportError, ValueError) as e:
    print(f"webkit-textcheck: WebKitGTK bindings missing ({e}): install python3-gi and gir1.2-webkit2-4.1", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
LAYOUT = os.path.join(HERE, "..", "frontend", "e2e", "layout.mjs")
SELECTOR = "[data-testid=diagram-svg]"
TIMEOUT = float(os.environ.get("TIMEOUT", "60"))
# WebKit's page zoom (a user's Ctrl-+), on top of the app's own zoom; the
# Chromium suite checks 100 % only, as here by default.
PAGE_ZOOMS = [float(z) for z in os.environ.get("PAGE_ZOOMS", "1").split(",")]


class Check:
    def __init__(self, url, shot):
        self.url, self.shot = url, shot
        with open(LAYOUT, encoding="utf-8") as f:
            # The module's function as a plain script: same code as Chromium runs.
            self.layout = f.read().replace("export function", "function")
        self.failures = []
        self.lines = []
        self.win = Gtk.OffscreenWindow() if os.environ.get("OFFSCREEN") else Gtk.Window()
        self.win.set_default_size(1440, 900)
        self.view = WebKit2.WebView()
        self.win.add(self.view)
        self.win.show_all()
        self.steps = self.plan()
        self.deadline = time.monotonic() + TIMEOUT

    # -- JavaScript, one call at a time
    def js(self, script, then):
        def done(view, result):
            try:
                value = view.evaluate_javascript_finish(result)
                then(json.loads(value.to_string()) if value is not None and not value.is_undefined() else None)
            except GLib.Error as e:
                self.fail(f"JavaScript error: {e.message}")

        self.view.evaluate_javascript(script, -1, None, None, None, done)

    def fail(self, msg, code=1):
        self.failures.append(msg)
        self.code = code
        Gtk.main_quit()

    def later(self, ms, fn):
        GLib.timeout_add(ms, lambda: (fn(), False)[1])

    # -- the states to check
    def plan(self):
        states = []
        for page_zoom in PAGE_ZOOMS:
            states.append((page_zoom, "fitted"))
            states.append((page_zoom, "app 200%"))
        return states

    def start(self):
        self.view.load_uri(self.url)
        self.later(200, self.wait_diagram)

    def wait_diagram(self):
        if time.monotonic() > self.deadline:
            return self.fail(f"no diagram on {self.url} within {TIMEOUT:.0f}s", 2)
        probe = (
            f"JSON.stringify(!!document.querySelector('{SELECTOR} g.node') && !document.querySelector('.stage.stale'))"
        )
        self.js(probe, lambda ok: self.next_state() if ok else self.later(200, self.wait_diagram))

    def next_state(self):
        if not self.steps:
            return self.finish()
        page_zoom, app = self.steps.pop(0)
        self.view.set_zoom_level(page_zoom)
        # Fit (key 0), then zoom in with '+' until the app says 200 %.
        key = "(k) => document.querySelector('[data-testid=diagram]').dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true}))"
        script = f"(() => {{ const press = {key}; document.querySelector('[data-testid=diagram]').focus(); press('0');"
        if app == "app 200%":
            script += (
                " for (let i = 0; i < 20; i++) { const pct = Number((document.querySelector('.zoom .pct')?.innerText ?? '0').replace('%', ''));"
                " if (pct >= 200) break; press('+'); }"
            )
        script += " return JSON.stringify(true); })()"
        what = f"page {page_zoom * 100:.0f}%, {app}"
        self.js(script, lambda _: self.later(600, lambda: self.measure(what)))

    def measure(self, what):
        script = self.layout + f"\nJSON.stringify(diagramTextProblems('{SELECTOR}'))"

        def got(r):
            if r is None:
                return self.fail(f"{what}: the check returned nothing")
            line = f"{what}: {r['texts']} texts, smallest node text {r['minFontPx']}px, {len(r['problems'])} problems"
            self.lines.append(line)
            if r["texts"] <= 50:
                self.failures.append(f"{what}: only {r['texts']} texts in the diagram")
            for p in r["problems"][:5]:
                self.failures.append(f"{what}: {p}")
            if self.shot and what == "page 100%, fitted":
                self.snapshot(self.next_state)
            else:
                self.next_state()

        self.js(script, got)

    def snapshot(self, then):
        def done(view, result):
            try:
                surface = view.get_snapshot_finish(result)
                surface.write_to_png(self.shot)
            except Exception as e:  # a screenshot is a convenience, not the check
                self.lines.append(f"no screenshot: {e}")
            then()

        self.view.get_snapshot(WebKit2.SnapshotRegion.VISIBLE, WebKit2.SnapshotOptions.NONE, None, done)

    def finish(self):
        self.code = 1 if self.failures else 0
        Gtk.main_quit()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("webkit-textcheck: no display (run it under Xvfb)", file=sys.stderr)
        return 2
    c = Check(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
    c.code = 2
    GLib.idle_add(lambda: (c.start(), False)[1])
    Gtk.main()
    # End the web process with the window, not after the script (it would
    # go on writing into the caller's temp folder).
    c.view.terminate_web_process()
    c.win.destroy()
    engine = f"WebKitGTK {WebKit2.get_major_version()}.{WebKit2.get_minor_version()}.{WebKit2.get_micro_version()}"
    scale = os.environ.get("GDK_SCALE", "1")
    for line in c.lines:
        print(f"webkit-textcheck: {engine}, device scale {scale}, {line}")
    for f in c.failures:
        print(f"webkit-textcheck: FAIL: {f}", file=sys.stderr)
    return c.code


if __name__ == "__main__":
    sys.exit(main())
