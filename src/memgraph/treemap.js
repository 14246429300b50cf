/* treemap.js: the memgraph treemap page's script: the tree from the embedded records, a squarified layout, zoom, details, table (page layer)
 *
 * Embedded in the page by html-graph.c.  The records were checked there (ids unique, parents exist, no
 * cycle, sizes integers below 2^53 or null), so every sum here is exact.  Every name reaches the page
 * through textContent: data never becomes markup.  The URL fragment holds the view
 * (#zoom=<id>&figure=<pss|private|shared>), so the back button and a saved link work. */
(function () {
	'use strict';

	var FIGURES = ['pss', 'private', 'shared'];
	var FIGURE_LABEL = { pss: 'PSS', private: 'private (USS)', shared: 'shared' };
	var UNITS = 'BkMGTPE';
	var HEAD = 16;          /* px: the label strip of a box drawn with its children inside */
	var PAD = 2;            /* px: the border around the children */
	var MIN_SIDE = 3;       /* px: smaller boxes are not drawn (they are in the table) */
	var MAX_BOXES = 4000;   /* boxes drawn at most, the largest levels first */
	var MAX_ROWS = 1000;    /* table rows at most */

	var app = document.getElementById('app');
	var records, byId = new Map(), roots = [], meta = null, top = null;
	var state = { zoom: null, figure: 'pss' };
	var viewCache = new Map();   /* figure + id -> view node */
	var resizeTimer = null;

	function el(tag, cls, text) {
		var e = document.createElement(tag);

		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}

	/* A record's name; an empty one (an anonymous object) as its kind in brackets. */
	function nameOf(r) {
		return r.name !== '' ? r.name : '[' + (typeof r.kind === 'string' ? r.kind : r.type) + ']';
	}

	function num(v) {
		return typeof v === 'number' && isFinite(v) ? v : null;
	}

	/* Zircon's format_size: powers of 1024, at most 4 whole digits, one decimal rounded half up. */
	function zircon(bytes) {
		var value, div = 1, i = 0, whole, rem, n, tenths;

		if (bytes === null)
			return 'unknown';
		if (bytes < 0)
			return '-' + zircon(-bytes);
		value = bytes;
		while (i + 1 < UNITS.length && (value >= 10000 || (value !== 0 && value % 1024 === 0))) {
			value = Math.floor(value / 1024);
			div *= 1024;
			i++;
		}
		if (bytes % div === 0)
			return String(value) + UNITS[i];
		whole = Math.floor(bytes / div);
		rem = bytes % div;
		n = rem * 10;   /* exact: rem < 2^50 */
		tenths = Math.floor(n / div) + (n % div >= div / 2 ? 1 : 0);
		if (tenths === 10) {
			whole++;
			tenths = 0;
		}
		return String(whole) + '.' + String(tenths) + UNITS[i];
	}

	function grouped(bytes) {
		var s, out = '';

		if (bytes === null)
			return 'unknown';
		s = String(Math.abs(bytes));
		while (s.length > 3) {
			out = ',' + s.slice(-3) + out;
			s = s.slice(0, -3);
		}
		return (bytes < 0 ? '-' : '') + s + out;
	}

	function share(v, of) {
		if (v === null || of === null || of <= 0)
			return '?';
		return (v / of * 100).toFixed(2) + '%';
	}

	/* ---- the records as a tree ---- */

	function buildTree() {
		var order = [], i, n, p;

		records.forEach(function (r) {
			if (r.type === '__META') {
				meta = r;
				return;
			}
			byId.set(r.id, { id: r.id, type: r.type, name: nameOf(r), rec: r, parent: null, kids: [], threads: 0 });
		});
		byId.forEach(function (node) {
			if (node.rec.parent === '') {
				roots.push(node);
				return;
			}
			p = byId.get(node.rec.parent);
			node.parent = p;
			if (node.type === 't')
				p.threads++;
			else
				p.kids.push(node);
		});
		/* Shared bytes are not summed by memgraph (not additive): the page sums a job's processes. */
		order = roots.slice();
		for (i = 0; i < order.length; i++)   /* one push a child: a million children overflow push.apply */
			order[i].kids.forEach(function (k) { order.push(k); });
		for (i = order.length - 1; i >= 0; i--) {
			n = order[i];
			if (n.type === 'p') {
				n.sharedSum = num(n.rec.shared_bytes);
				n.sharedPartial = n.sharedSum === null;
			}
			if (n.type !== 'j' && n.type !== 'p')
				continue;
			if (n.type === 'j' && n.sharedSum === undefined) {
				n.sharedSum = null;
				n.sharedPartial = false;
			}
			p = n.parent;
			if (p && p.type === 'j') {
				if (p.sharedSum === undefined) {
					p.sharedSum = null;
					p.sharedPartial = false;
				}
				if (n.sharedSum !== null)
					p.sharedSum = (p.sharedSum || 0) + n.sharedSum;
				if (n.sharedPartial)
					p.sharedPartial = true;
			}
		}
	}

	function ownValue(node, fig) {
		var r = node.rec;

		if (node.type === 'kernel')
			return num(r.size_bytes);
		if (node.type === 'j' && fig === 'shared')
			return node.sharedSum;
		if (node.type === 'j' || node.type === 'p')
			return num(r[fig + '_bytes']);
		if (node.type === 'o')
			return num(r.pss_bytes);
		return null;
	}

	function restName(v) {
		var node = v.node;

		if (node && node.id === 'kernel/user')
			return "not in any process's " + FIGURE_LABEL[v.fig];
		if (node && node.type === 'p')
			return 'not in a listed object';
		return 'rest of ' + v.name;
	}

	/* A view node: what one box or table row shows, for one figure. */
	function viewOf(node, fig) {
		var key = fig + '\n' + node.id, v = viewCache.get(key);

		if (!v) {
			v = { key: node.id, node: node, name: node.name, type: node.type, value: ownValue(node, fig),
			      fig: fig, parent: null, kidsMade: null };
			viewCache.set(key, v);
		}
		return v;
	}

	function synthetic(parent, key, name, type, value, extra) {
		return { key: key, node: null, name: name, type: type, value: value, fig: parent.fig, parent: parent,
		         kidsMade: [], extra: extra || null };
	}

	/* The children of a view node: sub-records, a process's objects or its private/shared split, and a
	 * remainder when they add up to less than the node.  notes says what is not drawn and why. */
	function kidsOf(v) {
		var node = v.node, kids = [], sum = 0, fig = v.fig, r, diff, unknown;

		if (v.kidsMade)
			return v.kidsMade;
		v.notes = [];
		if (node) {
			node.kids.forEach(function (k) {
				var kv;

				if (k.type === 'o')
					return;   /* drawn as a part of each process that maps it */
				kv = viewOf(k, fig);
				kv.parent = v;
				kids.push(kv);
			});
			r = node.rec;
			if (node.type === 'p' && fig === 'pss') {
				if (Array.isArray(r.objects)) {
					r.objects.forEach(function (o) {
						var obj = byId.get(o.id);

						kids.push(synthetic(v, node.id + ' ' + o.id, obj ? obj.name : o.id, 'o', num(o.pss_bytes),
						                    { object: obj ? obj.rec : null }));
					});
				} else if (num(r.pss_bytes) !== null && num(r.private_bytes) !== null) {
					kids.push(synthetic(v, node.id + ' private', 'private', 'part', r.private_bytes));
					kids.push(synthetic(v, node.id + ' shared', 'proportional shared', 'part',
					                    r.pss_bytes - r.private_bytes));
				}
			}
		}
		kids.forEach(function (k) {
			if (k.value !== null && k.value > 0)
				sum += k.value;
		});
		if (kids.length && v.value !== null) {
			diff = v.value - sum;
			if (diff > 0) {
				kids.push(synthetic(v, 'rest ' + v.key, restName(v), 'rest', diff));
			} else if (diff < 0) {
				v.notes.push((node && node.id === 'kernel/user'
				              ? "The processes' " + FIGURE_LABEL[fig] + ' adds up to more than the kernel\'s user memory'
				              : 'The parts drawn add up to more than ' + v.name) + ', by ' + grouped(-diff) +
				             ' bytes (' + zircon(-diff) + '): the areas inside are scaled to fit.');
			}
		}
		unknown = kids.filter(function (k) { return k.value === null; });
		if (unknown.length)
			v.notes.push(unknown.slice(0, 5).map(function (k) { return k.name; }).join(', ') +
			             (unknown.length > 5 ? ' and ' + (unknown.length - 5) + ' more' : '') +
			             ': size unknown, not drawn (listed in the table).');
		kids.forEach(function (k) {
			if (k.value !== null && k.value < 0)
				v.notes.push(k.name + ' is negative (' + grouped(k.value) + ' bytes, ' + zircon(k.value) +
				             '), not drawn: the kernel\'s counters overlap or miss memory by that much.');
		});
		/* largest first, the unknown last */
		kids.sort(function (a, b) {
			if (a.value === null || b.value === null)
				return (a.value === null) - (b.value === null);
			return b.value - a.value;
		});
		v.kidsMade = kids;
		return kids;
	}

	/* ---- squarified layout (Bruls, Huizing, van Wijk) ---- */

	function worst(sum, min, max, side) {
		var s2 = sum * sum, w2 = side * side;

		return Math.max(w2 * max / s2, s2 / (w2 * min));
	}

	/* items: [{a: area}] largest first, adding up to at most rect's area; place(item, x, y, w, h). */
	function squarify(items, rect, place) {
		var x = rect.x, y = rect.y, w = rect.w, h = rect.h, i = 0, j, k, side, sum, min, max, best, s, t, pos;

		while (i < items.length && w > 0 && h > 0) {
			side = Math.min(w, h);
			sum = min = max = items[i].a;
			best = worst(sum, min, max, side);
			for (j = i + 1; j < items.length; j++) {
				s = worst(sum + items[j].a, Math.min(min, items[j].a), Math.max(max, items[j].a), side);
				if (s > best)
					break;
				sum += items[j].a;
				min = Math.min(min, items[j].a);
				max = Math.max(max, items[j].a);
				best = s;
			}
			t = sum / side;
			pos = w >= h ? y : x;
			for (k = i; k < j; k++) {
				if (w >= h) {
					place(items[k], x, pos, t, items[k].a / t);
				} else {
					place(items[k], pos, y, items[k].a / t, t);
				}
				pos += items[k].a / t;
			}
			if (w >= h) {
				x += t;
				w -= t;
			} else {
				y += t;
				h -= t;
			}
			i = j;
		}
	}

	/* Boxes level by level from the zoomed node, while they are large enough and few enough. */
	function layout(root, width, height) {
		var boxes = [{ v: root, x: 0, y: 0, w: width, h: height, depth: 0 }], i, b, kids, sum, total, inner, items, scale;

		for (i = 0; i < boxes.length && boxes.length < MAX_BOXES; i++) {
			b = boxes[i];
			if (b.w < 2 * PAD + MIN_SIDE || b.h < HEAD + PAD + MIN_SIDE)
				continue;
			kids = kidsOf(b.v).filter(function (k) { return k.value !== null && k.value > 0; });
			if (!kids.length)
				continue;
			sum = 0;
			kids.forEach(function (k) { sum += k.value; });
			total = Math.max(sum, b.v.value !== null ? b.v.value : 0);
			inner = { x: b.x + PAD, y: b.y + HEAD, w: b.w - 2 * PAD, h: b.h - HEAD - PAD };
			b.inner = inner;
			scale = inner.w * inner.h / total;
			items = kids.map(function (k) { return { a: k.value * scale, v: k }; });
			if (total > sum)
				items.push({ a: (total - sum) * scale, v: null });   /* unexplained room, left blank */
			items.sort(function (p, q) { return q.a - p.a; });
			squarify(items, inner, function (it, x, y, w, h) {
				if (it.v && w >= MIN_SIDE && h >= MIN_SIDE && boxes.length < MAX_BOXES)
					boxes.push({ v: it.v, x: x, y: y, w: w, h: h, depth: b.depth + 1 });
			});
		}
		return boxes;
	}

	/* ---- the page ---- */

	function parentValue(v) {
		return v.parent ? v.parent.value : null;
	}

	function typeLabel(v) {
		return { kernel: 'kernel category', j: 'job (cgroup)', p: 'process', o: 'memory object',
		         part: 'part of a process', rest: 'remainder', top: 'all roots' }[v.type] || v.type;
	}

	function detailLines(v) {
		var lines = [], r = v.node ? v.node.rec : null, o = v.extra && v.extra.object;

		function add(label, value) {
			if (value !== undefined && value !== null && value !== '')
				lines.push([label, String(value)]);
		}
		function bytes(label, value) {
			if (value !== undefined)
				add(label, num(value) === null ? 'unknown' : grouped(value) + ' bytes (' + zircon(value) + ')');
		}
		add('name', v.name);
		add('id', v.node ? v.node.id : (o ? o.id : ''));
		add('type', typeLabel(v));
		add(FIGURE_LABEL[v.fig] !== undefined && (v.type === 'j' || v.type === 'p') ? FIGURE_LABEL[v.fig] : 'bytes',
		    v.value === null ? 'unknown' : grouped(v.value) + ' bytes');
		add('Zircon units', zircon(v.value));
		add('share of parent', share(v.value, parentValue(v)));
		add('share of total', share(v.value, top.value));
		if (r) {
			if (v.type === 'p') {
				add('pid', r.pid);
				add('ppid', r.ppid);
				add('state', r.state);
				add('command line', r.cmdline);
				['pss', 'private', 'shared', 'swap_pss', 'rss'].forEach(function (k) { bytes(k, r[k + '_bytes']); });
			}
			if (v.type === 'j') {
				['pss', 'private', 'swap_pss'].forEach(function (k) { bytes(k, r[k + '_bytes']); });
				bytes('shared (sum over its processes)', v.node.sharedSum);
				if (r.partial || (v.fig === 'shared' && v.node.sharedPartial))
					add('partial', 'some processes below were not measured');
			}
			if (v.type === 'kernel')
				['anon', 'file', 'shmem'].forEach(function (k) { bytes(k, r[k + '_bytes']); });
			if (v.node.threads)
				add('threads', v.node.threads);
		}
		if (o) {
			add('kind', o.kind);
			bytes('object size', o.size_bytes);
			bytes('object resident', o.alloc_bytes);
			bytes('object PSS (all sharers)', o.pss_bytes);
			add('sharers', o.sharers);
		}
		if (v.type === 'rest')
			add('what', 'the part of ' + v.parent.name + ' that its children drawn here do not cover');
		return lines;
	}

	function showDetails(panel, v) {
		var dl = el('dl');

		detailLines(v).forEach(function (l) {
			dl.appendChild(el('dt', null, l[0]));
			dl.appendChild(el('dd', null, l[1]));
		});
		panel.replaceChildren(dl);
	}

	function zoomable(v) {
		return v.node !== null && kidsOf(v).length > 0;
	}

	function setHash(zoom, figure) {
		location.hash = 'zoom=' + encodeURIComponent(zoom) + '&figure=' + encodeURIComponent(figure);
	}

	function readHash() {
		var parts = location.hash.replace(/^#/, '').split('&');

		state.zoom = null;
		state.figure = 'pss';
		parts.forEach(function (p) {
			var eq = p.indexOf('='), k, val;

			if (eq < 0)
				return;
			k = p.slice(0, eq);
			try {
				val = decodeURIComponent(p.slice(eq + 1));
			} catch (e) {
				return;
			}
			if (k === 'zoom')
				state.zoom = val;
			else if (k === 'figure' && FIGURES.indexOf(val) >= 0)
				state.figure = val;
		});
	}

	/* The view node of a record id, with its parents linked up to the top. */
	function viewFor(id, fig) {
		var node = byId.get(id), chain = [], v, i, prev = top;

		if (!node || node.type === 't' || node.type === 'o')
			return top;
		for (; node; node = node.parent)
			chain.push(node);
		for (i = chain.length - 1; i >= 0; i--) {
			v = viewOf(chain[i], fig);
			kidsOf(prev);
			v.parent = v === top ? null : prev;
			prev = v;
		}
		return prev;
	}

	function makeTop(fig) {
		var v, sum = 0, known = false;

		if (roots.length === 1)
			return viewOf(roots[0], fig);
		v = { key: '', node: null, name: 'all roots', type: 'top', value: null, fig: fig, parent: null, kidsMade: null };
		v.kidsMade = roots.map(function (r) {
			var k = viewOf(r, fig);

			k.parent = v;
			if (k.value !== null && k.value > 0) {
				sum += k.value;
				known = true;
			}
			return k;
		});
		v.notes = [];
		v.value = known ? sum : null;
		return v;
	}

	function legend() {
		var ul = el('ul', 'legend');

		[['t-kernel', 'kernel category (/proc/meminfo)'], ['t-j', 'job: a cgroup'], ['t-p', 'process'],
		 ['t-o', 'memory object (its part in this process)'], ['t-part', "process's private / proportional shared"],
		 ['t-rest', 'remainder: not in the children'], ['t-unknown', 'unknown size: listed, not drawn']
		].forEach(function (l) {
			var li = el('li');

			li.appendChild(el('span', 'swatch ' + l[0]));
			li.appendChild(el('span', null, l[1]));
			ul.appendChild(li);
		});
		return ul;
	}

	function table(v) {
		var t = el('table', 'kids'), head = el('tr'), kids = kidsOf(v), body = el('tbody');

		['Name', 'Size', 'Size in bytes', 'Share of parent', 'Share of total'].forEach(function (h) {
			head.appendChild(el('th', null, h));
		});
		t.appendChild(el('thead')).appendChild(head);
		kids.slice(0, MAX_ROWS).forEach(function (k) {
			var tr = el('tr', k.value === null ? 'unknown' : (k.value < 0 ? 'negative' : null)), name = el('td');

			tr.dataset.id = k.key;
			if (zoomable(k)) {
				name.appendChild(el('a', 'zoom', k.name)).href = '#';
				name.firstChild.addEventListener('click', function (ev) {
					ev.preventDefault();
					setHash(k.key, state.figure);
				});
			} else {
				name.textContent = k.name;
			}
			tr.appendChild(name);
			tr.appendChild(el('td', 'num', zircon(k.value)));
			tr.appendChild(el('td', 'num', grouped(k.value)));
			tr.appendChild(el('td', 'num', share(k.value, v.value)));
			tr.appendChild(el('td', 'num', share(k.value, top.value)));
			body.appendChild(tr);
		});
		if (kids.length > MAX_ROWS)
			body.appendChild(el('tr', 'more')).appendChild(el('td', null, (kids.length - MAX_ROWS) + ' more rows not shown'));
		t.appendChild(body);
		return t;
	}

	function render() {
		var fig = state.figure, cur, header, controls, crumbs, map, details, notes, width, height, boxes, chain = [], c, small;

		viewCache.clear();
		top = makeTop(fig);
		cur = state.zoom === null ? top : viewFor(state.zoom, fig);
		app.replaceChildren();

		header = el('header');
		header.appendChild(el('h1', null, 'memgraph treemap'));
		if (meta) {
			header.appendChild(el('p', 'meta', [meta.timestamp, meta.source && meta.source.kind,
			                                    meta.source && meta.source.path, meta.source && meta.source.kernel]
			                                   .filter(function (x) { return typeof x === 'string' && x; }).join(' \u00b7 ')));
		}
		controls = el('form', 'figure');
		controls.appendChild(el('span', null, 'Jobs and processes by: '));
		FIGURES.forEach(function (f) {
			var label = el('label'), input = el('input');

			input.type = 'radio';
			input.name = 'figure';
			input.value = f;
			input.checked = input.defaultChecked = f === fig;
			input.addEventListener('change', function () { setHash(cur.key, f); });
			label.appendChild(input);
			label.appendChild(document.createTextNode(' ' + FIGURE_LABEL[f]));
			controls.appendChild(label);
		});
		controls.addEventListener('submit', function (ev) { ev.preventDefault(); });
		header.appendChild(controls);
		app.appendChild(header);

		crumbs = el('nav', 'crumbs');
		for (c = cur; c; c = c.parent)
			chain.unshift(c);
		chain.forEach(function (c2, i) {
			var b;

			if (i)
				crumbs.appendChild(el('span', 'sep', ' \u203a '));
			if (c2 === cur) {
				crumbs.appendChild(el('span', 'here', c2.name)).setAttribute('aria-current', 'page');
				return;
			}
			b = el('button', 'crumb', c2.name);
			b.type = 'button';
			b.dataset.id = c2.key;
			b.addEventListener('click', function () { setHash(c2.key, fig); });
			crumbs.appendChild(b);
		});
		app.appendChild(crumbs);

		width = Math.max(480, Math.floor(app.clientWidth || 960) - 2);   /* the map's border */
		height = Math.max(320, Math.min(720, Math.floor(window.innerHeight * 0.66)));
		map = el('div', 'map');
		map.style.width = width + 'px';
		map.style.height = height + 'px';
		details = el('aside', 'details');
		boxes = layout(cur, width, height);
		boxes.forEach(function (b) {
			var d = el('div', 'box t-' + b.v.type + (b.inner ? ' open' : '')), label;

			d.style.left = b.x + 'px';
			d.style.top = b.y + 'px';
			d.style.width = b.w + 'px';
			d.style.height = b.h + 'px';
			d.dataset.id = b.v.key;
			d.dataset.value = String(b.v.value);
			d.dataset.depth = String(b.depth);
			if (b.depth)
				d.dataset.parent = b.v.parent.key;
			if (b.inner)
				d.dataset.inner = [b.inner.x, b.inner.y, b.inner.w, b.inner.h].join(' ');
			if (b.w >= 24 && b.h >= 12) {
				label = el('span', 'label', b.v.name + ' ' + zircon(b.v.value));
				d.appendChild(label);
			}
			d.addEventListener('mouseenter', function () { showDetails(details, b.v); });
			d.addEventListener('click', function (ev) {
				ev.stopPropagation();
				if (b.v !== cur && zoomable(b.v))
					setHash(b.v.key, fig);
				else
					showDetails(details, b.v);
			});
			map.appendChild(d);
		});
		map.addEventListener('mouseleave', function () { showDetails(details, cur); });
		app.appendChild(map);
		showDetails(details, cur);
		app.appendChild(details);

		notes = el('ul', 'notes');
		kidsOf(cur);
		(cur.notes || []).forEach(function (n) { notes.appendChild(el('li', null, n)); });
		small = kidsOf(cur).filter(function (k) { return k.value !== null && k.value > 0; }).length -
		        boxes.filter(function (b) { return b.depth === 1; }).length;
		if (small > 0)
			notes.appendChild(el('li', null, small + ' of the parts inside are too small to draw here: ' +
			                                 'the table lists them.'));
		if (boxes.length >= MAX_BOXES)
			notes.appendChild(el('li', null, 'Only ' + MAX_BOXES + ' boxes are drawn, level by level: zoom in for more.'));
		app.appendChild(notes);
		app.appendChild(legend());
		app.appendChild(el('h2', null, 'Inside ' + cur.name + ' (' + zircon(cur.value) + ')'));
		app.appendChild(table(cur));
		document.body.dataset.ready = 'yes';
	}

	/* #...&hover=<id> or &click=<id>: the pointer enters or clicks that box once, as a user would (the
	 * browser test's hand). */
	function actFromHash() {
		[['hover', 'mouseenter'], ['click', 'click']].forEach(function (act) {
			var m = new RegExp('(?:^#|&)' + act[0] + '=([^&]*)').exec(location.hash), boxes, i, id;

			if (!m)
				return;
			try {
				id = decodeURIComponent(m[1]);
			} catch (e) {
				return;
			}
			boxes = document.querySelectorAll('.map .box');
			for (i = 0; i < boxes.length; i++) {
				if (boxes[i].dataset.id === id) {
					boxes[i].dispatchEvent(new MouseEvent(act[1], { bubbles: act[1] === 'click' }));
					return;
				}
			}
		});
	}

	function start() {
		var t0 = performance.now();

		try {
			records = JSON.parse(document.getElementById('memgraph-data').textContent);
			buildTree();
			readHash();
			render();
			/* how long the script took, and since navigation began (for measurements) */
			document.body.dataset.scriptMs = String(Math.round(performance.now() - t0));
			document.body.dataset.sinceStartMs = String(Math.round(performance.now()));
		} catch (e) {
			app.replaceChildren(el('p', 'error', 'The treemap could not be drawn: ' + e));
			document.body.dataset.ready = 'error';
			return;
		}
		window.addEventListener('hashchange', function () {
			readHash();
			render();
		});
		actFromHash();
		window.addEventListener('resize', function () {   /* redraw once the size settles */
			clearTimeout(resizeTimer);
			resizeTimer = setTimeout(render, 150);
		});
		window.addEventListener('keydown', function (ev) {
			var v;

			if (ev.key !== 'Escape' && ev.key !== 'Backspace')
				return;
			v = state.zoom === null ? top : viewFor(state.zoom, state.figure);
			if (v.parent)
				setHash(v.parent.key, state.figure);
		});
	}

	start();
}());
