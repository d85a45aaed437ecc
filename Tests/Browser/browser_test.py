#!/usr/bin/env python3
"""A real browser against a real `registry serve` (Debian's chromium, chromium-driver, python3-selenium).

Run by Tests/RegistryCLITests/BrowserTests.swift, which starts the server on a demo registry with a
clerk and a viewer account. Usage: browser_test.py BASE_URL SCREENSHOT_DIR CLERK VIEWER PASSWORD

A clerk signs in, adds a project through the form, sees it in the list and in the dashboard's
figures; a viewer is refused the form. Screenshots of the dashboard, a project page and the report.
Exits non-zero, naming the step, on the first thing that is not as expected.
"""
import datetime
import os
import re
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, shots, clerk, viewer, password = sys.argv[1:6]
os.makedirs(shots, exist_ok=True)

options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,1000", "--lang=zh-CN"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(30)


def fail(step, detail=""):
    driver.save_screenshot(os.path.join(shots, "failure.png"))
    print(f"browser test failed at: {step} {detail}\nurl: {driver.current_url}\n{driver.page_source[:2000]}", file=sys.stderr)
    driver.quit()
    sys.exit(1)


def submit(selector):
    """Clicks a form's button and waits for the page that answers it."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(driver, 20).until(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)


def sign_in(name):
    driver.get(base + "/login")
    driver.find_element(By.ID, "user").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    submit("form.login button")
    if "/login" in driver.current_url:
        fail("sign in as " + name)


def sign_out():
    driver.get(base + "/")
    submit("form.who button")


def headline_count():
    text = driver.find_element(By.ID, "headline").text
    found = re.search(r"共引进招商项目(\d+)个", text)
    if not found:
        fail("dashboard headline", text)
    return int(found.group(1))


year = datetime.date.today().year
today = datetime.date.today().isoformat()
code = f"SW-{year}-BR1"
name = "浏览器录入测试项目"

# A clerk adds a project through the form.
sign_in(clerk)
driver.get(base + f"/?year={year}")
before = headline_count()
driver.get(base + "/projects/new")
form = {"f-code": code, "f-name": name, "f-planned_investment": "1.25亿", "f-enterprise": "91440300192317458F"}
for field, value in form.items():
    driver.find_element(By.ID, field).send_keys(value)
# A date input's typing order follows the browser's locale; WebDriver sets the value
# itself (the page runs no script of its own: its CSP forbids it).
driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "f-signed_on"), today)
driver.find_element(By.CSS_SELECTOR, "#f-park option[value='SW-GX']").click()
driver.find_element(By.CSS_SELECTOR, "#f-sector option[value='new-energy']").click()
submit("form.edit button")
if not driver.current_url.endswith("/projects/" + code):
    fail("add a project", driver.current_url)
if name not in driver.page_source:
    fail("the project's page shows its name")
driver.save_screenshot(os.path.join(shots, "project.png"))

# It is in the list, found by two characters of its name.
driver.get(base + "/projects?q=" + "录入")
if code not in driver.page_source:
    fail("the new project in the list")
driver.get(base + "/projects?year=2025&level=county")
driver.save_screenshot(os.path.join(shots, "projects.png"))

# And in the dashboard's figures.
driver.get(base + f"/?year={year}")
after = headline_count()
if after != before + 1:
    fail("dashboard figures", f"{before} -> {after}")
driver.get(base + "/?year=2025")
if "共引进招商项目52个" not in driver.page_source:
    fail("the 2025 headline of the demo")
driver.save_screenshot(os.path.join(shots, "dashboard.png"))
driver.get(base + "/report?year=2025")
if "2025年度招商引资报告" not in driver.page_source:
    fail("the report page")
driver.save_screenshot(os.path.join(shots, "report.png"))
sign_out()

# A viewer is refused the form (and is not offered it).
sign_in(viewer)
driver.get(base + "/projects")
if "添加项目" in driver.page_source:
    fail("a viewer is offered the add form")
driver.get(base + "/projects/new")
if "无权操作" not in driver.title and "403" not in driver.page_source:
    fail("a viewer refused the form")
driver.save_screenshot(os.path.join(shots, "refused.png"))
driver.quit()
print(f"browser test passed: dashboard {before} -> {after}; screenshots in {shots}")
