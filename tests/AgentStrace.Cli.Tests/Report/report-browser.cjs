// Opens an agent-strace HTML report in headless Chromium (puppeteer-core) and prints what the test asserts on, as JSON:
// render time, the span tree as the DOM holds it, console errors, every network request, what a click and the keyboard
// show, axe-core's violations and how many colours a screenshot has.
// Usage: node report-browser.cjs <chromium> <report.html> <axe: 1|0>   (NODE_PATH = the node_modules with puppeteer-core, axe-core)
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

(async () => {
  const [chromium, file, runAxe] = process.argv.slice(2);
  const out = { consoleErrors: [], requests: [], dialogs: [] };
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    // Networking denied: every host resolves to nothing and every proxied request goes to a closed port.
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
      '--disable-background-networking', '--no-first-run', '--disable-extensions', '--disable-sync', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('file:') || url.startsWith('data:')) req.continue();
      else { out.requests.push(url); req.abort(); }
    });
    page.on('console', (msg) => { if (msg.type() === 'error') out.consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => out.consoleErrors.push('pageerror: ' + err.message));
    page.on('dialog', async (d) => { out.dialogs.push(d.type() + ': ' + d.message()); await d.dismiss(); });

    await page.goto('file://' + path.resolve(file), { waitUntil: 'load', timeout: 120000 });
    await page.waitForSelector('html[data-rendered-ms]', { timeout: 120000 });
    out.renderMs = Number(await page.$eval('html', (h) => h.getAttribute('data-rendered-ms')));
    out.pwned = await page.evaluate(() => typeof window.__pwned !== 'undefined');

    // The tree as the DOM holds it: each treeitem's span id and the span id of the treeitem it is nested in.
    out.spans = await page.evaluate(() => Array.from(document.querySelectorAll('[role=treeitem]')).map((li) => {
      const up = li.parentElement.closest('[role=treeitem]');
      return { id: li.dataset.spanId, parent: up ? up.dataset.spanId : '', parentAttr: li.dataset.parentId, name: li.querySelector('.nm').textContent };
    }));

    // A click on the second row shows that span's attributes.
    const items = await page.$$('[role=treeitem] > .row');
    if (items.length > 1) {
      await items[1].click();
      out.clicked = await page.evaluate(() => {
        const sel = document.querySelector('[role=treeitem][aria-selected=true]');
        const box = document.querySelector('aside.details');
        return { id: sel && sel.dataset.spanId, details: box.innerText, keys: Array.from(box.querySelectorAll('th[scope=row]')).map((t) => t.textContent) };
      });
      // Keyboard: from the first row, ArrowDown twice then Enter selects the third visible row.
      await page.focus('[role=treeitem]');
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      out.keyboard = await page.evaluate(() => {
        const sel = document.querySelector('[role=treeitem][aria-selected=true]');
        const visible = Array.from(document.querySelectorAll('[role=treeitem]')).filter((li) => li.getClientRects().length > 0);
        return { id: sel && sel.dataset.spanId, expected: visible[2] && visible[2].dataset.spanId, focused: document.activeElement && document.activeElement.dataset.spanId, heading: document.querySelector('aside.details h3').textContent };
      });
      // Search narrows the tree to matching spans (and their dimmed parents).
      await page.type('input[type=search]', 'bash');
      await page.waitForFunction(() => /match/.test(document.querySelector('[role=status]').textContent), { timeout: 10000 });
      out.search = await page.$eval('[role=status]', (s) => s.textContent);
      await page.$eval('input[type=search]', (i) => { i.value = ''; i.dispatchEvent(new Event('input')); });
    }

    if (runAxe === '1') {
      const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes[0] && v.nodes[0].target.join(' ') }));
      });
      out.axe = result;
    }

    // Not blank: the screenshot, drawn into a canvas on a blank page, has many distinct colours.
    const png = await page.screenshot({ type: 'png', encoding: 'base64' });
    const blank = await browser.newPage();
    out.colours = await blank.evaluate(async (data) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + data;
      await img.decode();
      const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
      const g = c.getContext('2d'); g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
      for (let i = 0; i < px.length; i += 4 * 7) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      return seen.size;
    }, png);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(3); });
