//! Criterion benchmark of name analysis (names/s) and comparison of analysed names (pairs/s).
//! Synthetic and public-list-like names only; no I/O.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use linkwatch_names::{analyze, compare, compare_score, UniformWeights};

const NAMES: &[&str] = &[
    "Shavkat Miromonovich MIRZIYOYEV",
    "Шавкат Миромонович Мирзиёев",
    "Abd al-Rahman bin Umayr AL-NUAYMI",
    "عبد الرحمن بن عمير النعيمي",
    "Muhammad Jamal Abd-al Rahim Ahmad AL-KASHIF",
    "محمد جمال عبدالرحيم أحمد الكاشف",
    "KARIMOV, Abdulla Rustamovich",
    "Akhmedov Bakhtiyor Ulugbek o‘g‘li",
    "Gul Agha ISHAKZAI",
    "كُل آغا اسحاقزی",
    "Shams ur-Rahman",
    "Kim Yong Chol",
];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("names");
    g.throughput(Throughput::Elements(NAMES.len() as u64));
    g.bench_function("analyze", |b| {
        b.iter(|| {
            for n in NAMES {
                black_box(analyze(black_box(n)));
            }
        })
    });
    let analysed: Vec<_> = NAMES.iter().map(|n| analyze(n)).collect();
    let pairs = (analysed.len() * analysed.len()) as u64;
    g.throughput(Throughput::Elements(pairs));
    g.bench_function("compare_score", |b| {
        b.iter(|| {
            for x in &analysed {
                for y in &analysed {
                    black_box(compare_score(x, y, &UniformWeights));
                }
            }
        })
    });
    g.bench_function("compare_full", |b| {
        b.iter(|| {
            for x in &analysed {
                for y in &analysed {
                    black_box(compare(x, y, &UniformWeights));
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
