"""Steps the browser tests share."""

from playwright.sync_api import expect

from tests.world import PASSWORD


def log_in(page, live_server, username):
    """Log in through the Chinese login form and wait for the dashboard."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="概览")).to_be_visible()


def watch(page, live_server):
    """(console errors, requests leaving the site), filled as the page runs: a CSP violation shows
    as a console error, a CDN or tile server as a request outside."""
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    return errors, outside
