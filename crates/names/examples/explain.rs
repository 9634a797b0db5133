//! Print the analysis of two names and their comparison (tokens, keys, skeletons, groups,
//! aligned pairs, features). Usage: `cargo run -p linkwatch-names --example explain -- "A" "B"`.

use linkwatch_names::{analyze, compare, UniformWeights};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: explain NAME_A NAME_B");
        return;
    }
    let a = analyze(&args[0]);
    let b = analyze(&args[1]);
    for n in [&a, &b] {
        println!("{:?}  titles={:?}", n.original, n.titles);
        for t in &n.tokens {
            println!(
                "  {:<14} key={:<12} skel={:<8} {:?}/{:?} groups={} guess={:?}",
                t.text,
                t.key,
                t.skeleton,
                t.script,
                t.role,
                t.groups.len(),
                t.guess
            );
        }
        for j in &n.joins {
            println!(
                "  join {}+{} key={} skel={}",
                j.first, j.second, j.key, j.skeleton
            );
        }
    }
    let c = compare(&a, &b, &UniformWeights);
    println!("similarity {:.4}", c.similarity);
    for p in &c.pairs {
        println!(
            "  {} ~ {}  {} {:.2}{}",
            a.tokens[p.a].text,
            b.tokens[p.b].text,
            p.kind.label(),
            p.similarity,
            if p.joined { " (joined)" } else { "" }
        );
    }
    println!("unmatched a={:?} b={:?}", c.unmatched_a, c.unmatched_b);
    println!("{:#?}", c.features);
}
