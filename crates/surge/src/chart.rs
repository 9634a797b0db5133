//! Hand-written SVG chart of one analysed series: observed counts (bars), expected count
//! (line), alarm threshold (dashed line) and alarms (red markers, labelled by detector).
//! Pure string building, no I/O; the caller decides where the SVG goes.

use crate::detect::SeriesResult;
use crate::series::CountTable;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Render the analysed periods of `r` as a standalone SVG document.
pub fn series_svg(r: &SeriesResult, table: &CountTable) -> String {
    let (w, h) = (960.0f64, 360.0f64);
    let (ml, mr, mt, mb) = (56.0, 16.0, 36.0, 48.0);
    let pw = w - ml - mr;
    let ph = h - mt - mb;
    let n = r.periods.len().max(1);
    let mut ymax: f64 = 1.0;
    for p in &r.periods {
        ymax = ymax.max(p.observed);
        if let Some(e) = p.expected() {
            ymax = ymax.max(e);
        }
        if let Some(u) = p.upper() {
            ymax = ymax.max(u);
        }
    }
    ymax *= 1.08;
    let x = |i: usize| ml + pw * (i as f64 + 0.5) / n as f64;
    let y = |v: f64| mt + ph * (1.0 - (v / ymax).clamp(0.0, 1.0));
    let bw = (pw / n as f64 * 0.8).max(0.5);
    let mut s = String::new();
    s += &format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"11\">\n"
    );
    s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    s += &format!(
        "<text x=\"{ml}\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{} — aggregate counts per period (no individual data)</text>\n",
        esc(&r.series)
    );
    // axes and grid
    for k in 0..=4 {
        let v = ymax * k as f64 / 4.0;
        let yy = y(v);
        s += &format!(
            "<line x1=\"{ml}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"#ddd\"/>\n",
            ml + pw
        );
        s += &format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{:.0}</text>\n",
            ml - 4.0,
            yy + 4.0,
            v
        );
    }
    let ticks = 8.min(n);
    for k in 0..ticks {
        let i = k * (n - 1).max(1) / (ticks - 1).max(1);
        if let Some(p) = r.periods.get(i) {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                x(i),
                mt + ph + 16.0,
                esc(&table.period_label(p.index))
            );
        }
    }
    s += &format!(
        "<line x1=\"{ml}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n",
        ml + pw,
        mt + ph,
        mt + ph
    );
    // bars
    for (i, p) in r.periods.iter().enumerate() {
        let top = y(p.observed);
        s += &format!(
            "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {}</title></rect>\n",
            x(i) - bw / 2.0,
            (mt + ph - top).max(0.0),
            if p.alarm { "#f4a6a6" } else { "#9ecae1" },
            esc(&table.period_label(p.index)),
            p.observed
        );
    }
    let line = |vals: Vec<Option<f64>>, style: &str| -> String {
        let mut out = String::new();
        let mut seg: Vec<String> = Vec::new();
        let flush = |seg: &mut Vec<String>, out: &mut String| {
            if seg.len() > 1 {
                *out += &format!(
                    "<polyline fill=\"none\" {style} points=\"{}\"/>\n",
                    seg.join(" ")
                );
            }
            seg.clear();
        };
        for (i, v) in vals.iter().enumerate() {
            match v {
                Some(v) if v.is_finite() => seg.push(format!("{:.1},{:.1}", x(i), y(*v))),
                _ => flush(&mut seg, &mut out),
            }
        }
        flush(&mut seg, &mut out);
        out
    };
    s += &line(
        r.periods.iter().map(|p| p.expected()).collect(),
        "stroke=\"#2b8a3e\" stroke-width=\"1.8\"",
    );
    s += &line(
        r.periods.iter().map(|p| p.upper()).collect(),
        "stroke=\"#e8590c\" stroke-width=\"1.4\" stroke-dasharray=\"5,3\"",
    );
    for (i, p) in r.periods.iter().enumerate() {
        if p.alarm {
            let mut det = Vec::new();
            if p.farrington.as_ref().is_some_and(|f| f.alarm) {
                det.push("Farrington");
            }
            if p.cusum.as_ref().is_some_and(|c| c.alarm) {
                det.push("CUSUM");
            }
            if p.ears.as_ref().is_some_and(|e| e.alarm) {
                det.push("EARS");
            }
            s += &format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"#c92a2a\"><title>alarm {} ({})</title></circle>\n",
                x(i),
                y(p.observed),
                esc(&table.period_label(p.index)),
                det.join(", ")
            );
        }
    }
    // legend
    let lx = ml + 8.0;
    let ly = h - 12.0;
    s += &format!("<rect x=\"{lx}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#9ecae1\"/><text x=\"{}\" y=\"{ly}\">observed</text>\n", ly - 9.0, lx + 14.0);
    s += &format!("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#2b8a3e\" stroke-width=\"2\"/><text x=\"{}\" y=\"{ly}\">expected</text>\n", lx + 80.0, lx + 100.0, ly - 4.0, ly - 4.0, lx + 104.0);
    s += &format!(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#e8590c\" stroke-dasharray=\"5,3\" stroke-width=\"2\"/><text x=\"{}\" y=\"{ly}\">upper bound (Farrington)</text>\n",
        lx + 170.0,
        lx + 190.0,
        ly - 4.0,
        ly - 4.0,
        lx + 194.0
    );
    s += &format!("<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"#c92a2a\"/><text x=\"{}\" y=\"{ly}\">alarm</text>\n", lx + 350.0, ly - 4.0, lx + 358.0);
    s += "</svg>\n";
    s
}
