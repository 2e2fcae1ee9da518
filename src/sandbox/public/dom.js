// The one DOM helper the page uses: attributes, listeners (`onclick`), raw HTML (`html`, only for escaped markup).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'html') el.innerHTML = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Links from app content: only web and mail links are followed (never `javascript:`). */
export function safeHref(url) {
  return typeof url === 'string' && /^(https?:|mailto:)/i.test(url) ? url : undefined;
}
