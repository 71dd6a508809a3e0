import Mustache

// MARK: - The pages' templates, style and script, all served by luban (nothing from a CDN)

/// The templates of the pages (HTML-escaping Mustache: every `{{value}}` is escaped; only
/// `{{{html}}}` made by luban itself, an SVG chart or QR code, goes in as it is).
enum WebTemplates {
    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in sources {
            // A template that does not parse is a programming error caught by every test.
            templates[name] = try! MustacheTemplate(string: text)
        }
        return MustacheLibrary(templates: templates)
    }()

    static func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }

    static let sources: [String: String] = [
        "layout": """
        <!doctype html>
        <html lang="{{lang}}"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{title}} · 鲁班工程</title>
        <link rel="stylesheet" href="/static/luban.css">
        {{#script}}<script src="/static/luban.js" defer></script>{{/script}}
        </head><body>
        <header><a class="brand" href="{{home}}">鲁班工程 Luban</a>
        {{#nav}}<nav>{{#links}}<a href="{{href}}">{{label}}</a> {{/links}}</nav>{{/nav}}
        <span class="lang"><a href="/lang/zh?to={{here}}">中文</a> · <a href="/lang/en?to={{here}}">EN</a></span>
        {{#account}}<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{signOut}} {{account}}</button></form>{{/account}}
        </header>
        <main>
        <h1>{{title}}</h1>
        {{#flash}}<p class="flash">{{flash}}</p>{{/flash}}
        {{#problem}}<p class="problem" role="alert">{{problem}}</p>{{/problem}}
        {{{body}}}
        </main></body></html>
        """,
        "rollcall": """
        <p class="facts">{{facts}}</p>
        {{#cancelled}}<p class="problem">{{cancelled}}</p>
        <ol class="board">{{#rows}}<li class="{{status}}"><span class="who"><b>{{name}}</b> <small>{{code}}</small> <em>{{shown}}</em></span></li>
        {{/rows}}</ol>{{/cancelled}}{{^cancelled}}
        {{#office}}<div class="links">{{#open}}<p>{{openWord}} PIN <b>{{pin}}</b> · {{since}}</p>{{/open}}
        <form method="post" action="{{base}}/link" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{newWord}}</button></form>
        {{#open}}<form method="post" action="{{base}}/link/close" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{closeWord}}</button></form>{{/open}}
        </div>{{/office}}
        <div class="counts" id="counts"><span>{{markedWord}} <b id="marked">{{marked}}</b></span> <span>{{unmarkedWord}} <b id="unmarked">{{unmarked}}</b></span> <span>{{total}}</span></div>
        <div class="actions">
        <a class="button" href="{{base}}/all">{{allWord}}</a>
        <form method="post" action="{{base}}/undo" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{undoWord}}</button></form>
        </div>
        <form method="post" action="{{base}}/mark" id="board"><input type="hidden" name="csrf" value="{{csrf}}"><ol class="board">
        {{#rows}}<li id="{{code}}" class="{{status}}"><span class="who"><b>{{name}}</b> <small>{{code}}</small> <em>{{shown}}</em></span><span class="taps"><button name="m" value="{{code}} present">出勤</button><button name="m" value="{{code}} late">迟到</button><button name="m" value="{{code}} excused">请假</button><button name="m" value="{{code}} absent">缺勤</button></span><textarea name="note-{{code}}" rows="1" placeholder="{{noteWord}}" maxlength="500">{{note}}</textarea></li>
        {{/rows}}</ol></form>
        <div class="actions"><form method="post" action="{{base}}/undo" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button>{{undoWord}}</button></form></div>
        {{/cancelled}}
        """,
        "confirm": """
        <p>{{question}}</p>
        <form method="post" action="{{action}}"><input type="hidden" name="csrf" value="{{csrf}}">
        <button class="primary">{{yes}}</button> <a href="{{back}}">{{no}}</a></form>
        """,
        "pin": """
        <p class="facts">{{facts}}</p>
        <form method="post" action="{{action}}" class="stack"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{pinWord}} <input name="pin" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus></label>
        <button class="primary">{{go}}</button></form>
        """,
        "login": """
        <form method="post" action="/login?to={{to}}" class="stack"><input type="hidden" name="csrf" value="{{csrf}}">
        <label>{{nameWord}} <input name="name" autocomplete="username" required autofocus></label>
        <label>{{passwordWord}} <input name="password" type="password" autocomplete="current-password" required></label>
        <button class="primary">{{go}}</button></form>
        <p><a href="/verify">{{verifyWord}}</a></p>
        """,
        "verify": """
        <p>{{explain}}</p>
        <form method="post" action="/verify" class="stack"><input type="hidden" name="csrf" value="{{csrf}}">
        <textarea name="text" rows="8" required>{{text}}</textarea>
        <label>{{nameLabel}} <input name="name" value="{{name}}" autocomplete="off"></label>
        <button class="primary">{{go}}</button></form>
        {{#verdict}}<p class="verdict {{kind}}">{{line}}</p>{{/verdict}}
        {{#signed}}<p>{{compare}}</p><pre class="signed">{{#lines}}{{.}}
        {{/lines}}</pre>{{/signed}}
        """,
        "table": """
        {{#intro}}<p>{{intro}}</p>{{/intro}}
        {{#links}}<p class="links">{{#items}}<a href="{{href}}">{{label}}</a> {{/items}}</p>{{/links}}
        {{{before}}}
        {{#forms}}<form method="post" action="{{action}}" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">{{#field}}<input name="{{name}}" value="{{value}}" placeholder="{{placeholder}}" required>{{/field}}<button class="{{style}}">{{label}}</button></form> {{/forms}}
        <div class="scroll"><table>
        <thead><tr>{{#headings}}<th>{{.}}</th>{{/headings}}</tr></thead>
        <tbody>{{#rows}}<tr>{{#cells}}<td class="{{style}}">{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}</td>{{/cells}}</tr>
        {{/rows}}</tbody></table></div>
        {{^rows}}<p>{{empty}}</p>{{/rows}}
        {{{after}}}
        """,
        "link": """
        <p>{{explain}}</p>
        <div class="qr">{{{qr}}}</div>
        <p class="pin">PIN <b>{{pin}}</b></p>
        <p><input readonly value="{{url}}" class="url" aria-label="URL"></p>
        <p><a href="{{back}}">{{backWord}}</a></p>
        """,
    ]

    static let css = """
        *{box-sizing:border-box}body{margin:0;font:16px/1.45 "Noto Sans CJK SC","Source Han Sans SC",system-ui,sans-serif;color:#222;background:#faf8f5}
        header{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:center;padding:.5em .75em;background:#7a1f1f;color:#fff}
        header a,header button{color:#fff}header nav a{margin-right:.6em}.brand{font-weight:bold;text-decoration:none}
        .lang{margin-left:auto;font-size:.9em}header button{background:none;border:1px solid #fff8;border-radius:4px;padding:.1em .5em}
        main{padding:.75em;max-width:1100px}h1{font-size:1.3em;margin:.3em 0}
        .flash{background:#e7f4e4;padding:.4em .6em}.problem{background:#fde8e6;color:#8a1c12;padding:.4em .6em}
        .facts{color:#555;margin:.2em 0}.inline{display:inline}
        .counts{position:sticky;top:0;z-index:2;background:#fffbe8;border-bottom:1px solid #e6dcb8;padding:.4em .5em;display:flex;gap:1em}
        .actions{margin:.5em 0;display:flex;gap:.5em;flex-wrap:wrap}
        .button,button{font:inherit;padding:.35em .7em;border:1px solid #9b8f80;border-radius:6px;background:#fff;color:#222;text-decoration:none;cursor:pointer}
        .primary{background:#7a1f1f;color:#fff;border-color:#7a1f1f}
        .board{list-style:none;padding:0;margin:0}.board li{border-bottom:1px solid #e3ddd4;padding:.4em .2em}
        .board li{display:flex;flex-wrap:wrap;gap:.3em;align-items:center}.who{flex:1 1 100%}.who em{font-style:normal;font-size:.85em;color:#555}
        .taps{display:flex;gap:.25em}.taps button{min-width:3.6em;min-height:2.6em;padding:.2em .3em}
        .board textarea{flex:1;min-width:6em;font:inherit;padding:.3em;border:1px solid #ccc;border-radius:4px;resize:vertical}
        li.present{background:#e3f3e0}li.late{background:#fdf3d6}li.excused{background:#e4ecf7}li.absent{background:#f9e1df}
        td.present{background:#cfeac9}td.late{background:#faebb5}td.excused{background:#cddcf0}td.absent{background:#f3c6c1}td.cancelled{color:#999}
        li.present .taps button:nth-child(1){background:#3d8b37;color:#fff}li.late .taps button:nth-child(2){background:#b8860b;color:#fff}
        li.excused .taps button:nth-child(3){background:#3b6db3;color:#fff}li.absent .taps button:nth-child(4){background:#b3362b;color:#fff}
        .taps button:nth-child(1){border-color:#3d8b37}.taps button:nth-child(2){border-color:#b8860b}.taps button:nth-child(3){border-color:#3b6db3}.taps button:nth-child(4){border-color:#b3362b}
        .stack{display:flex;flex-direction:column;gap:.6em;max-width:26em}.stack input,.stack textarea{font:inherit;padding:.4em;width:100%}
        .scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.92em}th,td{border:1px solid #ddd4c8;padding:.25em .45em;text-align:left;white-space:nowrap}
        th{background:#efe9e0;position:sticky;top:0}.num{text-align:right}.links a{margin-right:.8em}
        .verdict{font-weight:bold;padding:.5em}.verdict.valid{background:#e3f3e0}.verdict.revoked,.verdict.invalid{background:#f9e1df}
        .qr svg{width:240px;height:240px}.pin{font-size:1.6em;letter-spacing:.15em}.url{width:100%;font:inherit}
        .chart{max-width:100%;height:auto}
        """

    static let script = """
        "use strict";
        // Marks without reloading the page; without this script each tap posts the form.
        document.addEventListener("submit", async function (e) {
          var f = e.target, b = e.submitter;
          if (f.id !== "board" || !b || b.name !== "m") return;
          e.preventDefault();
          var code = b.value.split(" ")[0], li = document.getElementById(code);
          var data = new URLSearchParams();
          data.set("csrf", f.elements.csrf.value);
          data.set("m", b.value);
          data.set("note-" + code, li.querySelector("textarea").value);
          try {
            var r = await fetch(f.action, { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" });
            var j = await r.json();
            if (!r.ok) { alert(j.problem || r.status); return; }
            li.className = j.status;
            li.querySelector("em").textContent = j.shown;
            document.getElementById("marked").textContent = j.marked;
            document.getElementById("unmarked").textContent = j.unmarked;
          } catch (err) { location.reload(); }
        });
        """
}
