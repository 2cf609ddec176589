"""Drafts data/layers/<layer>.toml rows (the format of main's crates/gatewise-core/data/README.md)
from the rows wt-layers added in the old Rust tables (fingerprint/rows.rs, vendor_codes.rs,
logs/formats.rs, logs/patterns.rs). Output goes to crates/gatewise-core/data-drafts/."""
import re, subprocess, os, json, collections
REPO = "/work/wt-layers"
BASE = "b6ed941"
def added(path):
    d = subprocess.run(["git", "-C", REPO, "diff", BASE, "HEAD", "--", path], capture_output=True, text=True).stdout
    return "\n".join(l[1:] for l in d.splitlines() if l.startswith("+") and not l.startswith("+++"))
def cur(path): return open(f"{REPO}/{path}").read()
SNAKE = lambda s: re.sub(r"(?<!^)(?=[A-Z])", "_", s).lower()
def tq(s):  # TOML literal string when possible
    if "'" not in s and "\n" not in s: return f"'{s}'"
    return json.dumps(s)
def rstr(tok):  # a Rust string literal token -> python str
    m = re.match(r'^r(#*)"(.*)"\1$', tok, re.S)
    if m: return m.group(2)
    return json.loads(tok)
STR = r'(?:r#+".*?"#+|r".*?"|"(?:[^"\\]|\\.)*")'
rows = added("crates/gatewise-core/src/fingerprint/rows.rs")
srcs = dict((k, rstr(v)) for k, v in re.findall(r'const (\w+_SRC): &str =\s*(' + STR + ');', cur("crates/gatewise-core/src/fingerprint/rows.rs")))
out = collections.defaultdict(list)
def cond_h(h):
    m = re.match(r'H::(\w+)\((' + STR + r')(?:, (' + STR + r'))?\)', h.strip())
    kind, name = m.group(1), rstr(m.group(2))
    val = rstr(m.group(3)) if m.group(3) else None
    f = f"header:{name}"
    return {"Present": f"{{ field = '{f}', present = true }}", "Equals": f"{{ field = '{f}', equals = {tq(val or '')} }}",
            "Contains": f"{{ field = '{f}', contains = {tq(val or '')} }}", "StartsWith": f"{{ field = '{f}', prefix = {tq(val or '')} }}",
            "Regex": f"{{ field = '{f}', regex = {tq(val or '')} }}"}[kind]
def cond_b(b):
    b = b.strip()
    m = re.match(r'B::(\w+)(?:\((' + STR + r')\))?', b)
    kind = m.group(1); val = rstr(m.group(2)) if m.group(2) else None
    return {"Contains": f"{{ field = 'body', contains = {tq(val)}, cased = true }}", "Equals": f"{{ field = 'body', equals = {tq(val)}, cased = true }}",
            "Regex": f"{{ field = 'body', regex = {tq(val)} }}", "Empty": "{ field = 'body', empty = true }"}[kind]
def split_items(s):
    items, depth, cur_, q = [], 0, "", None
    i = 0
    while i < len(s):
        c = s[i]
        if q is None and s.startswith('r#"', i):
            j = s.index('"#', i + 3); cur_ += s[i:j + 2]; i = j + 2; continue
        if q is None and s.startswith('r"', i):
            j = s.index('"', i + 2); cur_ += s[i:j + 1]; i = j + 1; continue
        if c == '"' and q is None:
            j = i + 1
            while s[j] != '"': j += 2 if s[j] == "\\" else 1
            cur_ += s[i:j + 1]; i = j + 1; continue
        if c in "([": depth += 1
        if c in ")]": depth -= 1
        if c == "," and depth == 0: items.append(cur_); cur_ = ""
        else: cur_ += c
        i += 1
    if cur_.strip(): items.append(cur_)
    return [x.strip() for x in items if x.strip()]
def types(s): return [SNAKE(t) for t in re.findall(r"E::(\w+)", s)]
def outcome(o):
    o = o.strip()
    if o == "NONE": return {"confidence": "medium"}
    m = re.match(r"out(?:_code)?\((.*)\)\s*$", o, re.S)
    if m is None: return {"confidence": "medium", "TODO": o}
    a = split_items(m.group(1))
    d = {}
    if a[0].startswith("Some"): d["error_type"] = types(a[0])[0]
    alts = types(a[1]) if len(a) > 1 else []
    if alts: d["alternatives"] = alts
    d["confidence"] = a[2].lower() if len(a) > 2 else "medium"
    return d
def then(d):
    parts = []
    for k in ("error_type", "alternatives", "confidence", "role", "key", "kind", "status"):
        if k in d:
            v = d[k]
            parts.append(f"{k} = [" + ", ".join(f"'{x}'" for x in v) + "]" if isinstance(v, list) else (f"{k} = {v}" if isinstance(v, int) else f"{k} = '{v}'"))
    return "{ " + ", ".join(parts) + " }"
for m in re.finditer(r"(generator|on_path)\((.*?)\),\s*$", rows, re.S | re.M):
    pass
# simpler: walk statements starting with generator( / on_path( and balance parens
text = rows
lines = text.splitlines()
k = 0
while k < len(lines):
    l = lines[k].strip()
    if not (l.startswith("generator(") or l.startswith("on_path(")):
        k += 1; continue
    stmt = l
    while not stmt.rstrip().endswith("),"):
        k += 1; stmt += " " + lines[k].strip()
    k += 1
    kind = "generator" if stmt.startswith("generator") else "on_path"
    a = split_items(stmt[stmt.index("(") + 1: stmt.rstrip().rindex(")")])
    rid = rstr(a[0]); layer = SNAKE(a[1].split("::")[1])
    when = []
    if kind == "generator":
        st = re.findall(r"\d+", a[2])
        if st: when.append("{ field = 'status', in = [" + ", ".join(st) + "] }")
        for h in split_items(a[3].strip()[2:-1]): when.append(cond_h(h))
        for b in split_items(a[4].strip()[2:-1]): when.append(cond_b(b))
        if len(a) < 7: print("SKIP", stmt[:160]); continue
        th = outcome(a[5]); src = a[6]
    else:
        for h in split_items(a[2].strip()[2:-1]): when.append(cond_h(h))
        th = {"role": "on_path"}; src = a[3]
    source = srcs.get(src, rstr(src) if src.startswith('"') else src)
    row = ["[[fingerprint]]", f"id = '{rid}'", "when = [", *[f"  {w}," for w in when], "]", f"then = {then(th)}",
           f"source = {{ file = {tq(source)} }}", "samples = []  # TODO: the fixtures this row decides", ""]
    out[layer].append("\n".join(row))
os.makedirs(f"{REPO}/crates/gatewise-core/data-drafts", exist_ok=True)
for layer, rws in out.items():
    with open(f"{REPO}/crates/gatewise-core/data-drafts/{layer}.fingerprints.toml", "w") as f:
        f.write(f"# Draft rows converted from wt-layers' fingerprint/rows.rs for data/layers/{layer}.toml\n\n" + "\n".join(rws))
print({k: len(v) for k, v in out.items()})
