//! Any request leaves the emulator answering: random queries (deep, long, any script)
//! to the anonymous search a web page can send, and random numbers to the control
//! surface. Seeded, so a failing case can be replayed (`HOSTILE_SEED`).

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::harness::Portal;

/// splitmix64: small, seeded, good enough to pick cases.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len() as u64) as usize]
    }

    /// A query: operators, groups, fields, quotes, ranges and words in several scripts,
    /// sometimes thousands of pieces long.
    fn query(&mut self) -> String {
        const PIECES: &[&str] = &[
            "(",
            ")",
            "NOT ",
            "-",
            "+",
            "!",
            " AND ",
            " OR ",
            "&&",
            "||",
            "\"",
            "title:",
            "owner:",
            "tags:(",
            "created:[",
            " TO ",
            "]",
            "{",
            "}",
            "*",
            "a",
            "jsmith",
            "Zürich",
            "東京",
            "مرحبا",
            "\u{202E}",
            "\u{0}",
            " ",
        ];
        let pieces = match self.below(4) {
            // Nested as deep as it goes: groups, negations, or both.
            0 => {
                let depth = self.below(5_000) as usize;
                let open = self.pick(&["(", "NOT ", "-", "tags:(", "+("]);
                let close = if open.contains('(') { ")" } else { "" };
                return format!("{}a{}", open.repeat(depth), close.repeat(depth));
            }
            1 => self.below(20_000),
            _ => self.below(300),
        };
        (0..pieces).map(|_| self.pick(PIECES)).collect()
    }

    fn number(&mut self) -> serde_json::Value {
        match self.below(6) {
            0 => json!(u64::MAX),
            1 => json!(i64::MIN),
            2 => json!(i64::MAX - self.below(1000) as i64),
            3 => json!(-(self.below(1 << 40) as i64)),
            4 => json!(self.below(120_000)),
            _ => json!(1.5e300),
        }
    }
}

#[tokio::test]
async fn random_queries_and_control_numbers_never_stop_the_emulator() {
    let seed = std::env::var("HOSTILE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_261_207);
    let mut random = Random(seed);
    let portal = Portal::new();
    for case in 0..300 {
        let query = random.query();
        // A long query goes as a POST, as clients send a URL past 2,000 characters.
        let params = [("q", query.as_str()), ("f", "json")];
        let reply = if query.len() > 2_000 {
            portal.post_raw("/search", &params).await
        } else {
            portal.get_raw("/search", &params).await
        };
        assert_eq!(reply.status, StatusCode::OK, "seed {seed} case {case}: {}", reply.text());
        let answer = reply.json();
        assert!(answer["results"].is_array() || answer["error"]["code"] == 400, "seed {seed} case {case}: {answer}");
    }
    for case in 0..200 {
        let (method, path, body) = match random.below(3) {
            0 => (Method::PUT, "/latency", json!({ "ms": random.number() })),
            1 => (Method::POST, "/clock", json!({ "advanceMs": random.number() })),
            _ => (Method::POST, "/faults", json!({ "path": "/nowhere", "kind": "delay", "ms": random.number() })),
        };
        let reply = portal.control(method, path, body.clone()).await;
        assert!(
            reply.status == StatusCode::OK || reply.status.is_client_error(),
            "seed {seed} case {case}: {path} {body}: {}",
            reply.status
        );
    }
    portal.control(Method::PUT, "/latency", json!({ "ms": 0 })).await;
    portal.control(Method::DELETE, "/faults", json!(null)).await;
    let token = portal.token("jsmith").await;
    let me = portal.get("/community/self", &[("f", "json"), ("token", &token)]).await;
    assert_eq!(me["username"], "jsmith", "the emulator still answers");
}
