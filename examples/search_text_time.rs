//! What leaving a large table's quotes in its file costs the search: the time to build the
//! folded text of every incident (done once, when the first search word is typed) with the
//! quotes read back from the file, against the same file loaded in memory with its quotes
//! copied: `cargo run --release --example search_text_time -- FILE.csv`.

use std::time::Instant;

use claimmap::{Gazetteer, SearchText, load_bytes, load_path};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: search_text_time FILE.csv");
        std::process::exit(2);
    };
    let path = std::path::Path::new(&path);
    let gazetteer = Gazetteer::embedded();
    let streamed = load_path(path, gazetteer).expect("loads");
    let bytes = std::fs::read(path).expect("reads");
    let copied = load_bytes(&bytes, &path.display().to_string(), gazetteer).expect("loads");
    drop(bytes);
    for (name, loaded) in [("in the file", &streamed), ("copied", &copied)] {
        let quotes: usize = loaded
            .dataset
            .incidents()
            .iter()
            .flat_map(|i| i.claims.iter())
            .filter(|c| c.quote.is_in_file())
            .count();
        let mut seconds = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let search = SearchText::new(&loaded.dataset);
            seconds.push(started.elapsed().as_secs_f64());
            std::hint::black_box(search);
        }
        seconds.sort_by(f64::total_cmp);
        println!(
            "quotes {name}: {quotes} of them in the file; SearchText::new {:.2} s (best of 3; worst {:.2} s)",
            seconds[0], seconds[2]
        );
    }
}
