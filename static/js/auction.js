/* The auction room: live updates (Server-Sent Events), the countdown from server time,
 * the bid history and a small SVG chart of the price over time. No libraries. */
(function () {
  "use strict";
  var room = document.getElementById("auction-room");
  if (!room) return;

  var data = room.dataset;
  var snap = JSON.parse(data.snapshot);
  var series = JSON.parse(data.series || "[]");
  var offset = Date.parse(snap.server_time) - Date.now(); // server clock minus ours
  var endsAt = Date.parse(snap.ends_at);
  var startsAt = Date.parse(snap.starts_at);
  var status = snap.status;
  var amountEdited = false;
  var SYMBOLS = { CNY: "¥", USD: "US$", EUR: "€", HKD: "HK$", GBP: "£" };

  function field(name) {
    return room.querySelector('[data-field="' + name + '"]');
  }

  function money(minor, currency) {
    var sign = minor < 0 ? "-" : "";
    minor = Math.abs(minor);
    var yuan = Math.floor(minor / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var fen = ("0" + (minor % 100)).slice(-2);
    var symbol = SYMBOLS[currency] || currency + " ";
    return sign + symbol + yuan + "." + fen;
  }

  // A moment as the server writes it (core/dates.py): the market's zone, one format per
  // language, the zone named; never the browser's own zone or order.
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var zoneParts = new Intl.DateTimeFormat("en-US", {
    timeZone: data.marketZone || "Asia/Shanghai", hourCycle: "h23",
    year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit"
  });

  function marketTime(iso) {
    var p = {};
    zoneParts.formatToParts(new Date(iso)).forEach(function (part) { p[part.type] = part.value; });
    var clock = two(parseInt(p.hour, 10) % 24) + ":" + two(parseInt(p.minute, 10));
    if (data.locale === "zh") return p.year + "年" + p.month + "月" + p.day + "日 " + clock + "（" + data.zoneLabel + "）";
    return p.day + " " + MONTHS[parseInt(p.month, 10) - 1] + " " + p.year + ", " + clock + " (" + data.zoneLabel + ")";
  }

  function plainYuan(minor) {
    return Math.floor(minor / 100) + "." + ("0" + (minor % 100)).slice(-2);
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    var el = field("countdown");
    if (!el) return;
    if (status !== "running" && status !== "upcoming") {
      el.textContent = data.labelEnded;
      return;
    }
    var target = status === "upcoming" ? startsAt : endsAt;
    var left = Math.max(0, Math.floor((target - (Date.now() + offset)) / 1000));
    var days = Math.floor(left / 86400);
    var text = two(Math.floor((left % 86400) / 3600)) + ":" + two(Math.floor((left % 3600) / 60)) + ":" + two(left % 60);
    el.textContent = (days ? days + data.labelDays + " " : "") + text;
    el.classList.toggle("text-danger", status === "running" && left < 300);
  }

  function drawChart() {
    var svg = document.getElementById("price-chart");
    if (!svg) return;
    var ns = "http://www.w3.org/2000/svg";
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var W = 600, H = 200, pad = 8;
    if (series.length === 0) {
      var empty = document.createElementNS(ns, "text");
      empty.setAttribute("x", W / 2);
      empty.setAttribute("y", H / 2);
      empty.setAttribute("text-anchor", "middle");
      empty.setAttribute("class", "small");
      empty.setAttribute("fill", "currentColor");
      empty.textContent = data.labelNoBids;
      svg.appendChild(empty);
      return;
    }
    var t0 = Date.parse(series[0].t), t1 = Math.max(Date.parse(series[series.length - 1].t), Date.now() + offset);
    var p0 = snap.starting_price_minor, p1 = series[series.length - 1].p;
    if (t1 <= t0) t1 = t0 + 1000;
    if (p1 <= p0) p1 = p0 + snap.increment_minor;
    function x(t) { return pad + (W - 2 * pad) * (Date.parse(t) - t0) / (t1 - t0); }
    function y(p) { return H - pad - (H - 2 * pad) * (p - p0) / (p1 - p0); }
    var points = [];
    for (var i = 0; i < series.length; i++) {
      if (i > 0) points.push(x(series[i].t).toFixed(1) + "," + y(series[i - 1].p).toFixed(1)); // steps
      points.push(x(series[i].t).toFixed(1) + "," + y(series[i].p).toFixed(1));
    }
    points.push((W - pad) + "," + y(series[series.length - 1].p).toFixed(1));
    var line = document.createElementNS(ns, "polyline");
    line.setAttribute("points", points.join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", "var(--bs-primary)");
    line.setAttribute("stroke-width", "2");
    line.setAttribute("vector-effect", "non-scaling-stroke");
    svg.appendChild(line);
    var title = document.createElementNS(ns, "title");
    title.textContent = money(series[0].p, snap.currency) + " → " + money(series[series.length - 1].p, snap.currency);
    svg.appendChild(title);
  }

  // Bidders by number (竞买号); "you" for the reader's own; names only where the server sent them.
  function bidderLabel(number, mine, name) {
    var shown = number == null ? "" : data.labelNumber.replace("{n}", number);
    if (name) return shown ? name + " (" + shown + ")" : name;
    if (mine) return shown ? data.labelYou.replace("{n}", number) : data.labelYouPlain;
    return data.labelBidder.replace("{n}", number == null ? "—" : number);
  }

  function addHistory(bids) {
    var body = field("history");
    if (!body) return;
    var top = body.querySelector("tr[data-amount]");
    var shown = top ? parseInt(top.getAttribute("data-amount"), 10) : -1;
    var fresh = bids.filter(function (b) { return b.amount_minor > shown; }).reverse();
    if (fresh.length && body.querySelector(".no-bids")) body.querySelector(".no-bids").remove();
    fresh.forEach(function (b) {
      var row = document.createElement("tr");
      row.setAttribute("data-amount", b.amount_minor);
      var amount = document.createElement("td");
      amount.className = "text-end text-nowrap";
      amount.textContent = money(b.amount_minor, snap.currency);
      var who = document.createElement("td");
      who.textContent = bidderLabel(b.bidder_number, b.mine, b.bidder_name);
      if (b.is_proxy) {
        var badge = document.createElement("span");
        badge.className = "badge text-bg-light border ms-1";
        badge.textContent = data.labelProxy;
        who.appendChild(badge);
      }
      var when = document.createElement("td");
      when.className = "small text-nowrap";
      when.textContent = marketTime(b.placed_at);
      row.appendChild(amount);
      row.appendChild(who);
      row.appendChild(when);
      body.insertBefore(row, body.firstChild);
      series.push({ t: b.placed_at, p: b.amount_minor });
    });
  }

  function apply(next) {
    snap = next;
    status = next.status;
    offset = Date.parse(next.server_time) - Date.now();
    endsAt = Date.parse(next.ends_at);
    startsAt = Date.parse(next.starts_at);
    var label = data["label" + status.charAt(0).toUpperCase() + status.slice(1)] || status;
    field("status").textContent = label;
    field("price").textContent = money(next.current_price_minor || next.starting_price_minor, next.currency);
    field("bid-count").textContent = next.bid_count;
    if (field("leader")) {
      var leads = next.leader_number != null || next.leader_name;
      field("leader").textContent = leads ? data.labelLeading + " " + bidderLabel(next.leader_number, next.leader_mine, next.leader_name) : "";
    }
    if (field("extended")) field("extended").classList.toggle("d-none", !next.extended);
    if (field("ends-at")) field("ends-at").textContent = marketTime(next.ends_at);
    if (field("minimum")) field("minimum").textContent = money(next.minimum_next_bid_minor, next.currency);
    var amount = document.getElementById("f-amount");
    if (amount && !amountEdited && document.activeElement !== amount) amount.value = plainYuan(next.minimum_next_bid_minor);
    addHistory(next.bids || []);
    drawChart();
    tick();
  }

  var amountInput = document.getElementById("f-amount");
  if (amountInput) amountInput.addEventListener("input", function () { amountEdited = true; });

  drawChart();
  tick();
  setInterval(tick, 1000);

  var live = status === "running" || status === "upcoming" || status === "closing";
  if (!window.EventSource || !live) return;
  var source = new EventSource(data.eventsUrl);
  // A bid sends only what it changed: merged into what the room shows.
  source.addEventListener("snapshot", function (event) {
    apply(Object.assign({}, snap, JSON.parse(event.data)));
  });
  source.addEventListener("heartbeat", function (event) {
    offset = Date.parse(JSON.parse(event.data).server_time) - Date.now();
  });
  source.addEventListener("end", function () {
    source.close();
    setTimeout(function () { window.location.reload(); }, 1500); // show the published result
  });
})();
