// Drives Debian's chromium (headless, through playwright-core) through wardend's /docs as a user
// would: "Authorize" by the OAuth2 password flow with a registered user's e-mail and password,
// then "Try it out" on GET /api/users/me, and expects the 200 response to show that e-mail.
// Starts nothing itself; test_swagger_ui.py starts wardend and passes in:
//   WARDEN_URL         wardend's base URL (http://127.0.0.1:PORT)
//   WARDEN_EMAIL, WARDEN_PASSWORD   a registered user
//   WARDEN_SCREENSHOT  where to save the screenshot (PNG)
// Exit status 0 when every step passed; otherwise 1 and the step that failed on stderr.
import { chromium } from "playwright-core";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through test_swagger_ui.py)`);
  return value;
}

const baseUrl = required("WARDEN_URL");
const email = required("WARDEN_EMAIL");
const password = required("WARDEN_PASSWORD");
const screenshot = required("WARDEN_SCREENSHOT");

let step = "launching /usr/bin/chromium";
function begin(name) {
  step = name;
  console.log(`- ${name}`);
}

// As the machine's notes say: no sandbox as root, and no background connections (the network is
// closed; chromium's own update and sync requests would only be refused).
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = false;
let page = null;
// Anything the page reports as broken fails the test: script errors, and requests the
// Content-Security-Policy refused (chromium logs those as console errors).
const problems = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(30_000);

  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  const tokenRequests = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/auth/login") tokenRequests.push(request);
  });

  begin("open /docs");
  await page.goto(`${baseUrl}/docs`);
  const operation = page.locator(".opblock.opblock-get", {
    has: page.locator('.opblock-summary-path[data-path="/api/users/me"]'),
  });
  await operation.waitFor();

  begin("Authorize: the password flow with the user's e-mail and password");
  await page.locator(".auth-wrapper .btn.authorize").click();
  const dialog = page.locator(".dialog-ux .modal-ux");
  await dialog.locator("#oauth_username").fill(email);
  await dialog.locator("#oauth_password").fill(password);
  const login = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/auth/login");
  await dialog.locator(".auth-btn-wrapper .btn.authorize").click();
  const loginResponse = await login;
  if (loginResponse.status() !== 200) {
    throw new Error(`the token endpoint answered ${loginResponse.status()}: ${await loginResponse.text()}`);
  }
  const sent = tokenRequests.at(-1).headers()["authorization"];
  if (sent !== "Basic Og==") throw new Error(`Swagger UI sent Authorization ${sent}, not Basic Og==`);
  // Swagger UI's buttons carry aria-labels of their own ("Remove authorization"): found by text.
  await dialog.locator(".auth-btn-wrapper button", { hasText: "Logout" }).waitFor();
  await dialog.locator(".auth-btn-wrapper button", { hasText: "Close" }).click();
  await dialog.waitFor({ state: "detached" });

  begin("GET /api/users/me: Try it out, Execute");
  await operation.locator(".opblock-summary").first().click();
  await operation.locator("button.try-out__btn", { hasText: "Try it out" }).click();
  await operation.locator("button.execute", { hasText: "Execute" }).click();
  const live = operation.locator(".live-responses-table .response");
  await live.locator(".response-col_status").filter({ hasText: "200" }).waitFor();
  const shown = await live.locator(".response-col_description").innerText();
  if (!shown.includes(`"email": "${email}"`)) {
    throw new Error(`the response shown is not the user's:\n${shown}`);
  }
  const curl = await operation.locator(".curl-command").innerText();
  if (!curl.includes("Authorization: Bearer ")) {
    throw new Error(`the request was not sent with the bearer token:\n${curl}`);
  }

  begin(`screenshot to ${screenshot}`);
  // From the top (the closed lock of "Authorize") down to the response shown, not the whole
  // document below it.
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await operation.locator(".live-responses-table").boundingBox();
  const width = page.viewportSize().width;
  await page.screenshot({
    path: screenshot,
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.ceil(box.y + box.height + 24) },
  });

  if (problems.length > 0) throw new Error(`the page reported:\n${problems.join("\n")}`);
  console.log("ok: logged in through Swagger UI and saw the user's own record");
} catch (error) {
  failed = true;
  console.error(`failed at "${step}": ${error.message}`);
  if (problems.length > 0) console.error(`the page reported:\n${problems.join("\n")}`);
  // What the page showed then, beside where the screenshot would have been.
  const shot = screenshot.replace(/\.png$/, "") + ".failed.png";
  if (page) await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
  console.error(`the page as it was: ${shot}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
