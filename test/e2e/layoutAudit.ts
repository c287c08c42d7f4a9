/**
 * What the back row would notice about the page's layout, measured in the page itself: text cut off
 * by its box, text spilling out of its card, controls drawn over each other (or over a heading, the numbers and
 * the servers the room watches), and text whose contrast is below 4.5:1.
 *
 * `auditLayout` runs inside the browser (page.evaluate), so it must not use anything from this
 * module's scope: every helper is declared inside it.
 */

export interface LayoutOffence {
  kind: 'clipped' | 'spills' | 'overlaps' | 'contrast' | 'scrolls sideways';
  /** What a person would call it: its accessible name or its text. */
  what: string;
  detail: string;
}

export interface AuditOptions {
  contrast: boolean;
  /** Only check contrast for text inside this selector (e.g. '.stage'). */
  contrastWithin?: string;
}

export function auditLayout(options: AuditOptions): LayoutOffence[] {
  const offences: LayoutOffence[] = [];
  const TOLERANCE = 1.5;
  type Box = { left: number; top: number; right: number; bottom: number };

  const short = (text: string): string => {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > 60 ? `${one.slice(0, 57)}…` : one;
  };
  /** The accessible name if it has one, else its text: what a person would call it. */
  const nameOf = (element: Element): string => {
    const label = element.getAttribute('aria-label');
    if (label !== null && label !== '') return short(label);
    const text = short(element.textContent ?? '');
    if (text !== '') return text;
    const title = element.getAttribute('title');
    return title !== null && title !== ''
      ? short(title)
      : `<${element.tagName.toLowerCase()} class="${element.getAttribute('class') ?? ''}">`;
  };
  const where = (element: Element): string => {
    const owner = element.closest('[aria-label], button, [role=region]');
    return owner === null || owner === element ? '' : ` in "${nameOf(owner)}"`;
  };
  const fmt = (box: Box): string =>
    `[${Math.round(box.left)},${Math.round(box.top)} → ${Math.round(box.right)},${Math.round(box.bottom)}]`;
  const boxOf = (rect: DOMRect): Box => ({ left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom });
  const intersect = (a: Box, b: Box): Box => ({
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  });
  const empty = (box: Box): boolean => box.right - box.left <= 0.5 || box.bottom - box.top <= 0.5;
  const outside = (inner: Box, outer: Box): boolean =>
    inner.left < outer.left - TOLERANCE ||
    inner.right > outer.right + TOLERANCE ||
    inner.top < outer.top - TOLERANCE ||
    inner.bottom > outer.bottom + TOLERANCE;

  /** Shown to the room: rendered, not transparent, not hidden, not the screen-reader-only kind. */
  const shown = (element: Element): boolean => {
    if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true }))
      return false;
    for (let at: Element | null = element; at !== null; at = at.parentElement) {
      const style = getComputedStyle(at);
      if (style.clipPath !== 'none' || Number(style.opacity) < 0.05) return false;
    }
    const rect = element.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1;
  };
  /** The padding box an element clips its content to, if it clips ('hidden' / 'clip'). */
  const clipBox = (element: Element): Box | null => {
    const style = getComputedStyle(element);
    const clipsX = style.overflowX !== 'visible';
    const clipsY = style.overflowY !== 'visible';
    if (!clipsX && !clipsY) return null;
    const rect = element.getBoundingClientRect();
    const left = rect.left + element.clientLeft;
    const top = rect.top + element.clientTop;
    return {
      left: clipsX ? left : -Infinity,
      right: clipsX ? left + element.clientWidth : Infinity,
      top: clipsY ? top : -Infinity,
      bottom: clipsY ? top + element.clientHeight : Infinity,
    };
  };
  const scrolls = (element: Element): boolean => /auto|scroll/.test(getComputedStyle(element).overflowY);
  const viewport: Box = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  /** What of a box the room can see: cut by every clipping ancestor and the window. */
  const visiblePart = (element: Element, box: Box): Box => {
    let part = intersect(box, viewport);
    for (let at = element.parentElement; at !== null; at = at.parentElement) {
      const clip = clipBox(at);
      if (clip !== null) part = intersect(part, clip);
    }
    return part;
  };

  // ---- text items: every element with its own visible text, and every user mark (a letter on a shape)
  interface TextItem {
    element: Element;
    boxes: Box[];
    text: string;
  }
  const items: TextItem[] = [];
  const byElement = new Map<Element, TextItem>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    const parent = node.parentElement;
    if (text.trim() === '' || parent === null) continue;
    if (parent.closest('script, style, option, select, textarea, svg, .credential-card') !== null) continue;
    if (!shown(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5).map(boxOf);
    if (boxes.length === 0) continue;
    let item = byElement.get(parent);
    if (item === undefined) {
      item = { element: parent, boxes: [], text: '' };
      byElement.set(parent, item);
      items.push(item);
    }
    item.boxes.push(...boxes);
    item.text += text;
  }
  for (const mark of document.querySelectorAll('svg.user-mark')) {
    if (!shown(mark)) continue;
    const holder = mark.closest('[title], [aria-label]');
    items.push({
      element: mark,
      boxes: [boxOf(mark.getBoundingClientRect())],
      text: `user mark ${holder === null ? '' : nameOf(holder)}`,
    });
  }

  // ---- (a) clipped: part of the text lies outside a box that hides its overflow
  const sideways = new Set<Element>();
  const clipped = new Set<TextItem>();
  for (const item of items) {
    const style = getComputedStyle(item.element);
    const own = item.element;
    if (style.textOverflow === 'ellipsis' && own.scrollWidth > own.clientWidth + 1) {
      offences.push({
        kind: 'clipped',
        what: short(item.text),
        detail: `ends in an ellipsis (${own.scrollWidth}px of text in ${own.clientWidth}px)${where(own)}`,
      });
      clipped.add(item);
      continue;
    }
    let reported = false;
    for (let at: Element | null = own; at !== null && !reported; at = at.parentElement) {
      const clip = clipBox(at);
      if (clip === null) continue;
      if (scrolls(at)) {
        // A scroll box shows the rest when scrolled down; sideways scrolling is an offence of its own.
        if (at.scrollWidth > at.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(at).overflowX)) sideways.add(at);
        break; // what lies beyond a scroll box's edge is scrolled away, not cut by the boxes around it
      }
      for (const box of item.boxes) {
        if (!empty(intersect(box, viewport)) && outside(box, clip)) {
          offences.push({
            kind: 'clipped',
            what: short(item.text),
            detail: `text ${fmt(box)} cut by ${nameOf(at).slice(0, 40)} ${fmt(clip)}${where(own)}`,
          });
          clipped.add(item);
          reported = true;
          break;
        }
      }
    }
  }
  for (const box of sideways)
    offences.push({
      kind: 'scrolls sideways',
      what: nameOf(box),
      detail: `${box.scrollWidth}px of content in ${box.clientWidth}px`,
    });

  // ---- (b) spills: text outside its nearest card (or button, or the stage it is drawn on)
  const CARD =
    'button, [role=button], summary, .balancer, .node-card, .store-card, .client-row, .client-token, .headline, .stat, .notice, .lost-count, .status-chip, .stage, .top-bar, .metrics, .lesson-bar';
  for (const item of items) {
    if (clipped.has(item)) continue; // one offence per text is enough
    const card = (item.element.matches(CARD) ? item.element : item.element.parentElement?.closest(CARD)) ?? null;
    // Text in a scroll box (the metrics with many nodes) is reached by scrolling, not spilled.
    if (card === null || scrolls(card)) continue;
    const cardBox = boxOf(card.getBoundingClientRect());
    const box = item.boxes.find((b) => outside(b, cardBox));
    if (box !== undefined)
      offences.push({
        kind: 'spills',
        what: short(item.text),
        detail: `${fmt(box)} out of "${nameOf(card)}" ${fmt(cardBox)}`,
      });
  }

  // ---- (c) overlaps: a control over another control, the metrics' numbers, a server, a notice
  const THINGS =
    'button, input, select, summary, [role=button], a[href], [data-client], .notice, [role=region][aria-label=Metrics] dd';
  const things: { element: Element; box: Box }[] = [];
  for (const element of document.querySelectorAll(THINGS)) {
    if (!shown(element) || element.closest('.credential-card') !== null) continue;
    const whole = boxOf(element.getBoundingClientRect());
    if (
      element.matches('button, input, select, summary, [role=button]') &&
      !empty(intersect(whole, viewport)) &&
      outside(whole, viewport)
    ) {
      offences.push({
        kind: 'clipped',
        what: nameOf(element),
        detail: `control ${fmt(whole)} partly off the screen ${fmt(viewport)}`,
      });
    }
    const box = visiblePart(element, whole);
    if (!empty(box)) things.push({ element, box });
  }
  const OVERLAP = 2.5;
  // A heading the room reads ("Stateless (JWT)", "Clients 12") is a thing no control may cover either.
  const CONTROLS = 'button, input, select, summary, [role=button]';
  const controls = things.filter((thing) => thing.element.matches(CONTROLS));
  for (const heading of document.querySelectorAll('h1, h2, h3')) {
    if (!shown(heading)) continue;
    const box = visiblePart(heading, boxOf(heading.getBoundingClientRect()));
    if (empty(box)) continue;
    for (const control of controls) {
      if (heading.contains(control.element) || control.element.contains(heading)) continue;
      const both = intersect(box, control.box);
      if (both.right - both.left > OVERLAP && both.bottom - both.top > OVERLAP)
        offences.push({
          kind: 'overlaps',
          what: nameOf(control.element),
          detail: `covers the heading "${nameOf(heading)}" by ${Math.round(both.right - both.left)}×${Math.round(both.bottom - both.top)}px`,
        });
    }
  }
  for (let i = 0; i < things.length; i++) {
    for (let j = i + 1; j < things.length; j++) {
      const a = things[i]!,
        b = things[j]!;
      if (a.element.contains(b.element) || b.element.contains(a.element)) continue;
      const both = intersect(a.box, b.box);
      if (both.right - both.left > OVERLAP && both.bottom - both.top > OVERLAP) {
        offences.push({
          kind: 'overlaps',
          what: nameOf(a.element),
          detail: `overlaps "${nameOf(b.element)}" by ${Math.round(both.right - both.left)}×${Math.round(both.bottom - both.top)}px`,
        });
      }
    }
  }

  // ---- contrast: text colour over the background it is drawn on, ≥ 4.5:1
  if (options.contrast) {
    type Rgba = [number, number, number, number];
    const parse = (colour: string): Rgba[] => {
      const found: Rgba[] = [];
      for (const match of colour.matchAll(/rgba?\(([^)]+)\)/g)) {
        const parts = match[1]!
          .split(/[\s,/]+/)
          .filter(Boolean)
          .map(Number);
        found.push([parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1]);
      }
      for (const match of colour.matchAll(/color\(srgb ([^)]+)\)/g)) {
        const parts = match[1]!
          .split(/[\s/]+/)
          .filter(Boolean)
          .map(Number);
        found.push([parts[0]! * 255, parts[1]! * 255, parts[2]! * 255, parts[3] ?? 1]);
      }
      return found;
    };
    const over = (top: Rgba, under: Rgba, alpha = top[3]): Rgba => [
      top[0] * alpha + under[0] * (1 - alpha),
      top[1] * alpha + under[1] * (1 - alpha),
      top[2] * alpha + under[2] * (1 - alpha),
      1,
    ];
    const luminance = ([r, g, b]: Rgba): number => {
      const lin = (c: number): number => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (a: Rgba, b: Rgba): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    /** The colours behind an element (several for a striped background), and the opacity on the way. */
    const backdrop = (element: Element): { colours: Rgba[]; opacity: number } => {
      let opacity = 1;
      const layers: Rgba[][] = [];
      for (let at: Element | null = element; at !== null; at = at.parentElement) {
        const style = getComputedStyle(at);
        const fills = [...parse(style.backgroundImage), ...parse(style.backgroundColor)].filter((c) => c[3] > 0);
        if (fills.length > 0) {
          layers.push(fills);
          if (fills.some((c) => c[3] >= 0.99)) break;
        }
        if (layers.length === 0) opacity *= Number(style.opacity);
      }
      let colours: Rgba[] = [[255, 255, 255, 1]];
      for (const fills of layers.reverse())
        colours = fills.flatMap((fill) => colours.map((under) => over(fill, under)));
      return { colours, opacity };
    };
    for (const item of items) {
      const element = item.element;
      if (options.contrastWithin !== undefined && element.closest(options.contrastWithin) === null) continue;
      if (element.closest(':disabled, [aria-disabled=true]') !== null) continue;
      let fg: Rgba | undefined;
      let bgs: Rgba[];
      if (element.matches('svg.user-mark')) {
        const text = element.querySelector('text');
        const path = element.querySelector('path');
        if (text === null || path === null) continue;
        fg = parse(getComputedStyle(text).fill)[0];
        const behind = backdrop(element).colours;
        const shape = parse(getComputedStyle(path).fill)[0];
        bgs = shape === undefined ? behind : behind.map((b) => over(shape, b));
      } else {
        fg = parse(getComputedStyle(element).color)[0];
        const { colours, opacity } = backdrop(element);
        bgs = colours;
        if (fg !== undefined) fg = [fg[0], fg[1], fg[2], fg[3] * opacity];
      }
      if (fg === undefined) continue;
      const worst = Math.min(...bgs.map((bg) => ratio(over(fg, bg), bg)));
      if (worst < 4.5)
        offences.push({ kind: 'contrast', what: short(item.text), detail: `${worst.toFixed(2)}:1${where(element)}` });
    }
  }
  return offences;
}

/** One line per offence, for a failure message a person can act on. */
export function describe(offences: readonly LayoutOffence[]): string[] {
  return offences.map((o) => `${o.kind}: "${o.what}" — ${o.detail}`);
}
