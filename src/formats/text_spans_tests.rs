//! A large table keeps its long texts and its rows' unmodelled columns in the file: a streamed
//! load must read back exactly the texts and values a load of the same bytes in memory copies, on
//! every table the tests have, and a file changed under a loaded layer must make saving and
//! exporting fail rather than write the wrong words.

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::formats::{Loaded, load_bytes};
    use crate::gazetteer::Gazetteer;

    fn streamed(path: &Path) -> Result<Loaded, String> {
        crate::formats::load_streamed_in_small_blocks(path).map_err(|e| e.to_string())
    }

    /// `rows` generated ACLED rows written to a file of a new temporary directory: the directory
    /// (removed when dropped), the file and its bytes.
    fn acled_file(rows: usize, seed: u64) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
        let mut bytes = Vec::new();
        crate::bench::acled_file::write_acled(&mut bytes, rows, seed).expect("generate");
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("acled.csv");
        std::fs::write(&path, &bytes).expect("write");
        (dir, path, bytes)
    }

    /// What a streamed load kept in the file.
    #[derive(Default)]
    struct Kept {
        quotes_in_file: usize,
        quotes: usize,
        /// Rows whose unmodelled columns are read back from the file.
        rows_in_file: usize,
    }

    /// Loads `bytes` whole and streamed from a file; checks they agree, text by text and value by
    /// value, and says what the streamed load kept in the file.
    fn compare(name: &str, bytes: &[u8]) -> Kept {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let shown = path.display().to_string();
        let whole = load_bytes(bytes, &shown, Gazetteer::embedded()).map_err(|e| e.to_string());
        let lazy = streamed(&path);
        let (whole, lazy) = match (whole, lazy) {
            (Ok(w), Ok(l)) => (w, l),
            (Err(w), Err(l)) => {
                assert_eq!(w, l, "{name}: both refused, for the same reason");
                return Kept::default();
            }
            (w, l) => panic!("{name}: whole {:?} but streamed {:?}", w.err(), l.err()),
        };
        assert_eq!(lazy.report, whole.report, "{name}");
        let (w, l) = (whole.dataset.incidents(), lazy.dataset.incidents());
        assert_eq!(w.len(), l.len(), "{name}");
        let mut kept = Kept::default();
        for (w, l) in w.iter().zip(l) {
            assert!(
                !w.extra.is_in_file(),
                "{name}: a load in memory packs its values"
            );
            kept.rows_in_file += usize::from(l.extra.is_in_file());
            assert_eq!(l.extra.to_map(), w.extra.to_map(), "{name}: {}", w.id);
            assert_eq!(w.claims.len(), l.claims.len(), "{name}: {}", w.id);
            for (wc, lc) in w.claims.iter().zip(&l.claims) {
                assert!(
                    !wc.quote.is_in_file(),
                    "{name}: a load in memory copies its texts"
                );
                let read = lc.quote.try_read().expect("the file is unchanged");
                assert_eq!(read, wc.quote.read(), "{name}: {}", w.id);
                kept.quotes_in_file += usize::from(lc.quote.is_in_file());
                kept.quotes += 1;
            }
        }
        // The rest of each incident too (texts compared by their words).
        assert_eq!(l, w, "{name}");
        assert!(lazy.dataset.unreadable_text().is_none());
        kept
    }

    #[test]
    fn every_table_fixture_reads_the_same_texts_streamed() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut tables = 0;
        let (mut kept, mut rows_in_file) = (0, 0);
        for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
            let path = entry.expect("entry").path();
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(extension, "csv" | "tsv") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("read");
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("x.csv");
            let streamed = compare(name, &bytes);
            kept += streamed.quotes_in_file;
            rows_in_file += streamed.rows_in_file;
            tables += 1;
        }
        assert!(tables >= 15, "only {tables} tables");
        assert!(
            kept > 0,
            "some fixture has quotes long enough to stay in the file"
        );
        assert!(rows_in_file > 100, "only {rows_in_file} rows read back");
    }

    #[test]
    fn generated_acled_rows_of_both_shapes_read_the_same_texts_streamed() {
        use crate::bench::acled_file::{Shape, write_acled_shaped};
        for (shape, seed) in [(Shape::Standard, 3), (Shape::LongNotes, 4)] {
            let mut bytes = Vec::new();
            write_acled_shaped(&mut bytes, 1500, seed, shape).expect("generate");
            let kept = compare("acled.csv", &bytes);
            // Every generated note is longer than what is copied, doubled quotes and line breaks
            // included.
            assert_eq!(kept.quotes_in_file, kept.quotes, "{shape:?}");
            assert!(kept.quotes >= 1500, "{shape:?}");
            assert_eq!(kept.rows_in_file, 1500, "{shape:?}");
            // The same rows with CRLF line ends, a byte-order mark and padded fields.
            let text = String::from_utf8(bytes).expect("UTF-8");
            let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
            let kept = compare("acled-crlf.csv", crlf.as_bytes());
            assert!(kept.quotes_in_file > 0 && kept.quotes >= 1500, "{shape:?}");
            assert_eq!(kept.rows_in_file, 1500, "{shape:?}");
        }
    }

    /// "Colour by" a column reads every row's value back from the file, in the file's order:
    /// the classes are those of the same rows loaded in memory, for a column of names and one of
    /// numbers.
    #[test]
    fn colour_by_a_column_reads_the_same_values_streamed() {
        use crate::scene::styling::{ColourBy, classify};
        let (_dir, path, bytes) = acled_file(1500, 6);
        let shown = path.display().to_string();
        let whole = load_bytes(&bytes, &shown, Gazetteer::embedded()).expect("load");
        let lazy = streamed(&path).expect("load");
        assert!(lazy.dataset.incidents()[0].extra.is_in_file());
        for column in ["admin1", "geo_precision", "tags"] {
            let by = ColourBy::Column(column.into());
            let classes = classify(&lazy.dataset, &by, "");
            assert_eq!(classes, classify(&whole.dataset, &by, ""), "{column}");
            assert!(classes.labels.len() > 1, "{column}: {:?}", classes.labels);
        }
    }

    /// Reading one column of many rows a run of the file at a time gives what each row gives
    /// alone: over runs of more than one read, with rows left out between, rows out of the
    /// file's order, rows of another file and rows of a JSON file among them, and a column no row
    /// has.
    fn by_offset(dataset: &crate::model::Dataset) -> Vec<&crate::model::Properties> {
        let mut rows: Vec<_> = dataset.incidents().iter().map(|i| &i.extra).collect();
        rows.sort_by_key(|row| row.file_offset());
        rows
    }

    #[test]
    fn a_column_of_many_rows_reads_what_each_row_reads() {
        use crate::model::{Properties, texts_of};
        // About 700 bytes a row: more than one run of 2 MB.
        let (_dir, path, _) = acled_file(4000, 7);
        let lazy = streamed(&path).expect("load");
        let (_other_dir, other_path, _) = acled_file(1000, 8);
        let other = streamed(&other_path).expect("load");
        let json = serde_json::json!({"admin1": "Syunik", "geo_precision": 3, "tags": null});
        let json = Properties::from_map(json.as_object().cloned().expect("object"));
        let mut rows: Vec<&Properties> = by_offset(&lazy.dataset)
            .into_iter()
            .enumerate()
            .filter(|(n, _)| n % 3 != 1)
            .map(|(_, row)| row)
            .collect();
        assert!(rows.iter().all(|row| row.is_in_file()));
        let last = rows.len() - 1;
        rows.swap(100, last);
        rows.insert(2000, &json);
        let others = by_offset(&other.dataset);
        rows.splice(1000..1000, others[..300].iter().copied());
        rows.push(others[500]);
        for key in [
            "admin1",
            "geo_precision",
            "tags",
            "actor1",
            "no such column",
        ] {
            let each: Vec<Option<String>> = rows
                .iter()
                .map(|row| row.get_text(key).map(|text| text.into_owned()))
                .collect();
            let together: Vec<Option<String>> = texts_of(&rows, key)
                .into_iter()
                .map(|text| text.map(|text| text.into_owned()))
                .collect();
            assert_eq!(together, each, "{key}");
            let given = each.iter().flatten().count();
            if key == "no such column" {
                assert_eq!(given, 0);
            } else {
                assert!(given > 200, "{key}: {given} values");
            }
        }
        assert!(lazy.dataset.unreadable_text().is_none());
    }

    /// The values of a row's unmodelled columns are read from the file as its quotes are: a file
    /// rewritten in place gives none, and a save after that fails.
    #[test]
    fn a_file_rewritten_under_its_layer_gives_no_values_and_fails_saves() {
        let (dir, path, bytes) = acled_file(2000, 5);
        let loaded = streamed(&path).expect("load");
        let first = &loaded.dataset.incidents()[0];
        assert!(first.extra.is_in_file());
        let before = first.extra.to_map();
        assert!(before.contains_key("actor1"), "{before:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, bytes.to_ascii_uppercase()).expect("rewrite");
        first.claims[0].quote.forget_read_blocks();
        // Only the values are read: they find the change, one row at a time or many.
        let rows: Vec<_> = loaded
            .dataset
            .incidents()
            .iter()
            .map(|i| &i.extra)
            .collect();
        let texts = crate::model::texts_of(&rows, "actor1");
        assert!(
            texts.iter().all(Option::is_none),
            "no values but the file's"
        );
        assert_eq!(texts.len(), rows.len());
        assert!(first.extra.to_map().is_empty(), "no values but the file's");
        let failed = loaded
            .dataset
            .unreadable_text()
            .expect("the change is noticed");
        assert!(failed.0.contains("changed on disk"), "{failed}");
        let out = dir.path().join("saved.geojson");
        let error = crate::formats::save_native(&loaded.dataset, &out).expect_err("refused");
        assert!(error.to_string().contains("changed on disk"), "{error}");
        assert!(!out.exists(), "nothing is written");
    }

    #[test]
    fn a_file_rewritten_under_its_layer_fails_saves_and_exports() {
        let (dir, path, bytes) = acled_file(3000, 9);
        let loaded = streamed(&path).expect("load");
        // Rewritten in place, as a spreadsheet saving over it would.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&path, bytes.to_ascii_uppercase()).expect("rewrite");
        let incidents = loaded.dataset.incidents();
        // Read from the file, not from blocks the load's debug checks read before the change.
        incidents[0].claims[0].quote.forget_read_blocks();
        let failed = incidents[0].claims[0]
            .quote
            .try_read()
            .expect_err("the change is noticed");
        assert!(failed.0.contains("changed on disk"), "{failed}");
        assert!(failed.0.contains("reload the layer"), "{failed}");
        assert_eq!(loaded.dataset.unreadable_text(), Some(&failed));
        let out = dir.path().join("saved.geojson");
        let error = crate::formats::save_native(&loaded.dataset, &out).expect_err("refused");
        assert!(error.to_string().contains("changed on disk"), "{error}");
        assert!(!out.exists(), "nothing is written");
        let remaining: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            remaining.len(),
            1,
            "no temporary file is left: {remaining:?}"
        );
    }
}
