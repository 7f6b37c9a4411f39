//! A bar chart in SVG, for the expiry timeline and usage. Screen readers get the
//! caption as its name and the counts as text beside it.

use leptos::prelude::*;

/// One bar: two lines of label under it, its count, and whether it is bad news.
pub struct Bar {
    pub label: [String; 2],
    pub count: u64,
    pub alarm: bool,
}

/// The chart's drawing width; bars share it, but are never narrower than [`MIN_BAR`].
const WIDTH: u64 = 600;
const MIN_BAR: u64 = 20;
const HEIGHT: u64 = 100;
/// Room above the tallest bar for its count.
const TOP: u64 = 16;

/// `bars` left to right under `caption`; `described` says every count in words. `id`
/// prefixes the caption's and description's ids, unique within the manager.
#[component]
pub fn BarChart(id: &'static str, caption: String, bars: Vec<Bar>, described: String) -> impl IntoView {
    let tallest = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let bar_width = (WIDTH / (bars.len() as u64).max(1)).max(MIN_BAR);
    let gap = bar_width / 5;
    let view_box = format!("0 0 {} {}", bar_width * bars.len() as u64, TOP + HEIGHT + 40);
    let caption_id = format!("{id}-caption");
    let counts_id = format!("{id}-counts");
    view! {
        <figure class="chart">
            <figcaption id=caption_id.clone()>{caption}</figcaption>
            <svg viewBox=view_box role="img" aria-labelledby=caption_id aria-describedby=counts_id.clone()>
                {bars.into_iter().enumerate().map(|(i, bar)| {
                    let i = i as u64;
                    let height = bar.count * HEIGHT / tallest;
                    let middle = i * bar_width + bar_width / 2;
                    let [first, second] = bar.label;
                    view! {
                        <rect class:alarm=bar.alarm x=i * bar_width + gap y=TOP + HEIGHT - height width=bar_width - 2 * gap height=height />
                        <text x=middle y=TOP + HEIGHT - height - 4>{bar.count.to_string()}</text>
                        <text x=middle y=TOP + HEIGHT + 16>{first}</text>
                        <text x=middle y=TOP + HEIGHT + 32>{second}</text>
                    }
                }).collect::<Vec<_>>()}
            </svg>
            <p class="hint" id=counts_id>{described}</p>
        </figure>
    }
}
