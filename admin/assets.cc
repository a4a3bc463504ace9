// The console's stylesheet and its one script (copy buttons), served by the
// console itself (style.css, copy.js) so the CSP can stay 'self'.
#include "admin/html.h"

namespace scim::admin {

const char kStylesheet[] = R"css(
:root { color-scheme: light; --fg: #1b1f24; --muted: #4a5360; --accent: #0b57d0;
  --bg: #ffffff; --panel: #f3f5f8; --line: #c9d0d9; --ok: #146c2e; --bad: #a50e0e; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; justify-content: space-between; align-items: center;
  padding: .5rem 1.5rem; background: #1b1f24; color: #fff; }
header p { margin: 0; }
.brand { font-weight: 700; }
nav ul { list-style: none; margin: 0; padding: 0 1.5rem; display: flex; flex-wrap: wrap;
  gap: .25rem; background: var(--panel); border-bottom: 1px solid var(--line); }
nav a { display: block; padding: .6rem .8rem; color: var(--accent); text-decoration: none; }
nav a[aria-current="page"] { color: var(--fg); font-weight: 700;
  border-bottom: 3px solid var(--accent); }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #f5a623;
  outline-offset: 2px; }
main { padding: 1rem 1.5rem 3rem; max-width: 90rem; }
#audit .audit-changes:not(:empty) { display: block; min-width: 14rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
section { margin-bottom: 1.5rem; }
form { margin: .5rem 0; }
label { display: block; font-weight: 600; margin: .5rem 0 .2rem; }
label.inline { display: inline; font-weight: 400; margin-left: .3rem; }
input[type=text], select { font: inherit; padding: .35rem .5rem; border: 1px solid #6b7480;
  border-radius: 4px; min-width: 16rem; }
/* Action forms and the audit filter: their fields side by side, the button
   at the end of the row. */
#token-create-form, #role-map-add-form, #user-deactivate-form, #user-reactivate-form,
#user-protect-form, #user-unprotect-form, #audit-filter { display: flex; flex-wrap: wrap;
  align-items: flex-end; gap: .5rem 1rem; margin: .75rem 0 1.25rem; }
#token-create-form button, #role-map-add-form button, #user-deactivate-form button,
#user-reactivate-form button, #user-protect-form button, #user-unprotect-form button,
#audit-filter button { margin: 0; }
#audit-filter a { align-self: center; margin-top: 2rem; }
button { font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); border-radius: 4px;
  background: var(--accent); color: #fff; cursor: pointer; margin: .4rem .3rem .4rem 0; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .95rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: var(--panel); }
code, .mono { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
td.mono:first-child { white-space: nowrap; }
.secret { display: block; padding: .6rem; background: var(--panel); border: 1px solid var(--line);
  font-size: 1.05rem; }
#notice { padding: .6rem; border-left: 4px solid var(--ok); background: #e6f4ea; }
#error { padding: .6rem; border-left: 4px solid var(--bad); background: #fce8e6; }
.status-on { color: var(--ok); font-weight: 700; }
.status-off { color: var(--bad); font-weight: 700; }
.muted { color: var(--muted); }
dl.counts { display: grid; grid-template-columns: max-content auto; gap: .2rem 1rem; }
dl.counts dt { font-weight: 600; }
pre { background: var(--panel); padding: .6rem; overflow-x: auto; }
)css";

const char kCopyScript[] = R"js(
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('button[data-copy]').forEach(function (b) { b.hidden = false; });
});
document.addEventListener('click', function (e) {
  var b = e.target.closest('button[data-copy]');
  if (!b) return;
  var t = document.getElementById(b.getAttribute('data-copy'));
  if (!t) return;
  var done = function () { b.textContent = 'Copied'; };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(t.textContent).then(done);
  } else {
    var r = document.createRange();
    r.selectNodeContents(t);
    var s = window.getSelection();
    s.removeAllRanges();
    s.addRange(r);
    if (document.execCommand('copy')) done();
  }
});
)js";

}  // namespace scim::admin
