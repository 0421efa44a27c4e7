// What makes a wasm module big, without extra tools: section sizes, and code size per crate
// taken from the name section of the unoptimised module (cargo's release output keeps one).
// Used by the size row when a size goal is missed (twiggy gives a finer view, if installed).

function leb(buf, pos) {
  let result = 0; let shift = 0; let b;
  do { b = buf[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return [result, pos];
}

const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];

/** → {sections: [{name, bytes}], functions: [{index, bytes}], names: Map(index → name)} */
export function parseWasm(buf) {
  let pos = 8;
  const sections = [];
  const functions = [];
  const names = new Map();
  let imported = 0;
  while (pos < buf.length) {
    const id = buf[pos++];
    let size; [size, pos] = leb(buf, pos);
    const start = pos; const end = pos + size;
    let name = SECTION[id] || `id${id}`;
    if (id === 0) {
      let n; let p; [n, p] = leb(buf, pos);
      name = `custom:${buf.subarray(p, p + n).toString()}`;
      if (name === 'custom:name') {
        p += n;
        while (p < end) {
          const sub = buf[p++]; let len; [len, p] = leb(buf, p);
          if (sub === 1) {
            let q = p; let count; [count, q] = leb(buf, q);
            for (let i = 0; i < count; i++) {
              let idx; let l; [idx, q] = leb(buf, q); [l, q] = leb(buf, q);
              names.set(idx, buf.subarray(q, q + l).toString()); q += l;
            }
          }
          p += len;
        }
      }
    } else if (id === 2) {
      let p = pos; let count; [count, p] = leb(buf, p);
      for (let i = 0; i < count; i++) {
        let l; [l, p] = leb(buf, p); p += l; [l, p] = leb(buf, p); p += l;
        const kind = buf[p++];
        if (kind === 0) { [, p] = leb(buf, p); imported++; } else if (kind === 1) { p++; const f = buf[p++]; [, p] = leb(buf, p); if (f & 1) [, p] = leb(buf, p); } else if (kind === 2) { const f = buf[p++]; [, p] = leb(buf, p); if (f & 1) [, p] = leb(buf, p); } else if (kind === 3) { p += 2; } else { p++; [, p] = leb(buf, p); }
      }
    } else if (id === 10) {
      let p = pos; let count; [count, p] = leb(buf, p);
      for (let i = 0; i < count; i++) {
        let l; const s = p; [l, p] = leb(buf, p);
        functions.push({ index: imported + i, bytes: l + (p - s) });
        p += l;
      }
    }
    sections.push({ name, bytes: end - start });
    pos = end;
  }
  return { sections, functions, names };
}

/** The crate a Rust symbol (legacy `_ZN…` or v0 `_R…` mangling, or demangled) belongs to. */
export function crateOf(symbol) {
  const s = symbol || '';
  if (s.startsWith('_R')) {
    const re = /C(?:s[0-9A-Za-z]*_)?(\d+)/g;
    const m = re.exec(s);
    if (m) return s.substr(m.index + m[0].length, Number(m[1]));
  }
  const legacy = /^_ZN(\d+)/.exec(s);
  if (legacy) {
    const first = s.substr(3 + legacy[1].length, Number(legacy[1]));
    const inner = /^_?\$LT\$([A-Za-z_][A-Za-z0-9_]*)/.exec(first);
    return inner ? inner[1] : first;
  }
  const m = /^<*([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(s);
  if (m) return m[1];
  return s ? '(other)' : '(unnamed)';
}

/** Code bytes per crate (largest first), plus section sizes, for a module with a name section. */
export function contributors(buf, top = 12) {
  const { sections, functions, names } = parseWasm(buf);
  const byCrate = new Map();
  for (const f of functions) {
    const c = crateOf(names.get(f.index));
    byCrate.set(c, (byCrate.get(c) || 0) + f.bytes);
  }
  const crates = [...byCrate.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([crate, bytes]) => ({ crate, bytes }));
  return { sections: sections.filter((s) => !s.name.startsWith('custom:name')).sort((a, b) => b.bytes - a.bytes), crates };
}
