//! Format tests: the bytes of each file kind are pinned (they are what `search.js` reads),
//! every file kind reads back as it was written, edge cases included, and broken files are
//! errors, never panics.

use std::borrow::Cow;

use proptest::prelude::*;

use super::*;

fn page(url: &str, title: &str) -> Page<'static> {
    Page {
        url: url.to_owned().into(),
        title: title.to_owned().into(),
    }
}

fn word(word: &str, place: WordPlace) -> ShardWord<'static> {
    ShardWord {
        word: word.to_owned().into(),
        place,
    }
}

fn list(postings: &[(u32, u8)]) -> Cow<'static, Postings> {
    Cow::Owned(Postings::List(
        postings
            .iter()
            .map(|&(doc, impact)| Posting { doc, impact })
            .collect(),
    ))
}

/// A shard of each kind of stem: a list, a bitmap and one with a single posting.
fn sample_shard() -> TermShard<'static> {
    TermShard {
        pages: vec![page("/a/", "A"), page("/b/", "Bé")],
        docs: vec![
            ShardDoc {
                id: 2,
                page: 1,
                anchor: "x".into(),
                heading: "X".into(),
            },
            ShardDoc {
                id: 9,
                page: 0,
                anchor: "".into(),
                heading: "".into(),
            },
        ],
        stems: vec![
            Stem {
                postings: list(&[(2, 200), (5, 3), (9, 7)]),
                hits: vec![
                    Hit {
                        doc: 0,
                        impact: 200,
                        flags: CUT_AFTER,
                        window: "the cat sat".into(),
                    },
                    Hit {
                        doc: 1,
                        impact: 7,
                        flags: CUT_BEFORE | CUT_AFTER,
                        window: "a cat".into(),
                    },
                ],
            },
            Stem {
                postings: Cow::Owned(Postings::Bitmap {
                    impact: 4,
                    docs: vec![0, 2, 8, 9],
                    raised: vec![Posting {
                        doc: 8,
                        impact: 200,
                    }],
                }),
                hits: vec![],
            },
            Stem {
                postings: list(&[(9, 1)]),
                hits: vec![],
            },
        ],
        words: vec![
            word("cat", WordPlace::Here { stem: 0 }),
            word("cats", WordPlace::Here { stem: 0 }),
            word("cau", WordPlace::Elsewhere { shard: 3, df: 12 }),
            word("cé", WordPlace::Here { stem: 2 }),
            word("cé😀", WordPlace::Here { stem: 1 }),
        ],
        vocabulary: None,
    }
}

#[test]
fn a_term_shard_is_written_byte_for_byte_as_search_js_reads_it() {
    let bytes = sample_shard().encode(10);
    #[rustfmt::skip]
    let expected: Vec<u8> = [
        &[1][..],                                   // version
        &[2, 3], b"/a/", &[1], b"A",                // pages
        &[3], b"/b/", &[3], "Bé".as_bytes(),
        &[2],                                       // docs
        &[2, 1, 1], b"x", &[1], b"X",               // id 2 (delta 2), page 1
        &[7, 0, 0, 0],                              // id 9 (delta 7), page 0, "" ""
        &[3],                                       // stems
        &[3, 0, 2, 200, 3, 3, 4, 7],                // df 3, list: deltas 2 3 4
        &[2, 0, 200, 2, 11], b"the cat sat",        // hits
        &[1, 7, 3, 5], b"a cat",
        &[4, 1, 4, 0b0000_0101, 0b0000_0011],       // df 4, bitmap of 10 docs
        &[1, 8, 200, 0],                            // raised: 8 at 200; no hits
        &[1, 0, 9, 1, 0],                           // df 1, list: 9; no hits
        &[5],                                       // words
        &[0, 3], b"cat", &[1],
        &[3, 1], b"s", &[1],
        &[2, 1], b"u", &[0, 3, 12],                 // elsewhere: shard 3, df 12
        &[1, 2], "é".as_bytes(), &[3],
        &[2, 4], "😀".as_bytes(), &[2],             // shares "cé": 2 UTF-16 units
        &[0],                                       // no vocabulary file
    ]
    .concat();
    assert_eq!(bytes, expected);
    assert_eq!(TermShard::decode(&bytes, 10).unwrap(), sample_shard());
}

#[test]
fn a_vocabulary_and_a_chunk_are_written_byte_for_byte() {
    let vocabulary = Vocabulary {
        words: vec![
            VocabularyWord {
                word: "coat".into(),
                shard: 4,
                df: 130,
            },
            VocabularyWord {
                word: "cob".into(),
                shard: 5,
                df: 1,
            },
        ],
    };
    let bytes = vocabulary.encode();
    let expected = [
        &[1, 2, 0, 4][..],
        b"coat",
        &[4, 0x82, 1, 2, 1],
        b"b",
        &[5, 1],
    ]
    .concat();
    assert_eq!(bytes, expected);
    assert_eq!(Vocabulary::decode(&bytes).unwrap(), vocabulary);

    let chunk = Chunk {
        pages: vec![page("/p/", "P")],
        docs: vec![ChunkDoc {
            page: 0,
            anchor: "s".into(),
            heading: "S".into(),
            flags: CUT_AFTER,
            text: "some text".into(),
        }],
    };
    let bytes = chunk.encode();
    #[rustfmt::skip]
    let expected = [
        &[1, 1, 3][..], b"/p/", &[1], b"P",
        &[1, 0, 1], b"s", &[1], b"S", &[2, 9], b"some text",
    ]
    .concat();
    assert_eq!(bytes, expected);
    assert_eq!(Chunk::decode(&bytes).unwrap(), chunk);
}

#[test]
fn the_manifest_reads_back_and_finds_a_words_shard() {
    // 120 sections: 40 pages of 1, one of 50, one of 30.
    let counts: Vec<usize> = std::iter::repeat_n(1, 40).chain([50, 30]).collect();
    let manifest = Manifest {
        version: VERSION,
        docs: 120,
        sections: encode_counts(counts.clone()),
        stemmer: "english".into(),
        hits: 8,
        window: 72,
        from: "ca co cor".into(),
        chunk_docs: 24,
        hash: "0123456789abcdef".into(),
    };
    let bytes = manifest.encode();
    assert_eq!(
        String::from_utf8(bytes.clone()).unwrap(),
        format!(
            r#"{{"version":3,"docs":120,"sections":"{}O1u","stemmer":"english","hits":8,"window":72,"from":"ca co cor","chunk_docs":24,"hash":"0123456789abcdef"}}"#,
            "1".repeat(40)
        )
    );
    let read = Manifest::decode(&bytes).unwrap();
    assert_eq!(read, manifest);
    assert_eq!(read.section_counts().unwrap(), counts);
    assert_eq!(read.shard_keys(), ["", "ca", "co", "cor"]);
    assert_eq!(read.shard_for("apple"), 0);
    assert_eq!(read.shard_for("ca"), 1);
    assert_eq!(read.shard_for("coat"), 2);
    assert_eq!(read.shard_for("core"), 3);
    assert_eq!(
        read.path(FileKind::Chunk, 2),
        "search/d2-0123456789abcdef.bin"
    );
    assert_eq!(read.chunk_of(47), 1);

    let one_shard = Manifest {
        from: String::new(),
        ..manifest.clone()
    };
    assert_eq!(one_shard.shard_keys(), [""]);
    assert_eq!(one_shard.shard_for("zebra"), 0);

    let older = String::from_utf8(bytes)
        .unwrap()
        .replace(r#""version":3"#, r#""version":2"#);
    let error = Manifest::decode(older.as_bytes()).unwrap_err();
    assert!(error.problem.contains("version 2"), "{error}");
    assert!(Manifest::decode(b"{}").is_err());

    // Section counts that do not add up to the documents are refused.
    let short = Manifest {
        sections: encode_counts([1, 2]),
        ..manifest.clone()
    };
    let error = Manifest::decode(&short.encode()).unwrap_err();
    assert!(error.problem.contains("3 sections, not its 120"), "{error}");
    let broken = Manifest {
        sections: "1?".into(),
        ..manifest
    };
    assert!(Manifest::decode(&broken.encode()).is_err());
}

#[test]
fn section_counts_read_back() {
    for counts in [
        vec![],
        vec![1],
        vec![31, 32, 33, 1023, 1024, 70_000, 1],
        vec![usize::try_from(u32::MAX).unwrap()],
    ] {
        let text = encode_counts(counts.clone());
        assert!(
            text.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(decode_counts(&text).unwrap(), counts, "{text}");
    }
    assert_eq!(encode_counts([1, 2, 40]), "12E1");
    assert!(decode_counts("W").is_err(), "ends inside a number");
    assert!(decode_counts("1 2").is_err());
}

#[test]
fn an_empty_shard_vocabulary_and_chunk_read_back() {
    let empty = TermShard::default();
    let bytes = empty.encode(0);
    assert_eq!(bytes, [1, 0, 0, 0, 0, 0]);
    assert_eq!(TermShard::decode(&bytes, 0).unwrap(), empty);
    assert_eq!(TermShard::read(&gzip(&bytes), 0).unwrap(), empty);

    let vocabulary = Vocabulary::default();
    assert_eq!(vocabulary.encode(), [1, 0]);
    assert_eq!(
        Vocabulary::decode(&vocabulary.encode()).unwrap(),
        vocabulary
    );
    let chunk = Chunk::default();
    assert_eq!(chunk.encode(), [1, 0, 0]);
    assert_eq!(Chunk::decode(&chunk.encode()).unwrap(), chunk);
}

#[test]
fn large_numbers_read_back() {
    let max = u32::MAX as usize;
    let shard = TermShard {
        pages: vec![page("/p/", "P")],
        docs: vec![
            ShardDoc {
                id: 0,
                page: 0,
                ..ShardDoc::default()
            },
            ShardDoc {
                id: u32::MAX,
                page: 0,
                ..ShardDoc::default()
            },
        ],
        stems: vec![Stem {
            postings: list(&[(0, 255), (1 << 21, 0), (u32::MAX, 255)]),
            hits: vec![Hit {
                doc: 1,
                impact: 255,
                flags: 255,
                window: "w".into(),
            }],
        }],
        words: vec![
            word("a", WordPlace::Here { stem: 0 }),
            word(
                "b",
                WordPlace::Elsewhere {
                    shard: max,
                    df: max,
                },
            ),
            word(
                "c",
                WordPlace::Elsewhere {
                    shard: 1 << 28,
                    df: 128,
                },
            ),
        ],
        vocabulary: Some(max - 1),
    };
    let bytes = shard.encode(3);
    assert_eq!(TermShard::decode(&bytes, 3).unwrap(), shard);
    // Five bytes for the largest number.
    let vocabulary = Vocabulary {
        words: vec![VocabularyWord {
            word: "a".into(),
            shard: max,
            df: max,
        }],
    };
    let bytes = vocabulary.encode();
    assert_eq!(bytes.len(), 1 + 1 + 1 + 2 + 5 + 5);
    assert_eq!(Vocabulary::decode(&bytes).unwrap(), vocabulary);
}

#[test]
fn non_ascii_words_share_prefixes_in_utf16_units() {
    let words = ["ça", "çà", "日本", "日本語", "😀", "😀😃", "😃"];
    let vocabulary = Vocabulary {
        words: words
            .iter()
            .enumerate()
            .map(|(shard, w)| VocabularyWord {
                word: (*w).into(),
                shard,
                df: 1,
            })
            .collect(),
    };
    let bytes = vocabulary.encode();
    // "😀😃" after "😀": two units shared (one astral character), then "😃".
    let emoji = bytes
        .windows(6)
        .position(|w| w == [2, 4, 0xf0, 0x9f, 0x98, 0x83])
        .is_some();
    assert!(emoji, "{bytes:?}");
    assert_eq!(Vocabulary::decode(&bytes).unwrap(), vocabulary);
}

#[test]
fn postings_say_how_many_bytes_they_take() {
    let postings = Postings::List(vec![
        Posting { doc: 0, impact: 1 },
        Posting {
            doc: 200,
            impact: 1,
        },
    ]);
    // Kind byte, then delta 0 (1 byte) + impact, delta 200 (2 bytes) + impact.
    assert_eq!(postings.encoded_len(1000), 6);
    let bitmap = Postings::Bitmap {
        impact: 3,
        docs: vec![1, 2],
        raised: vec![],
    };
    // Kind and impact, the bitmap, then the count of raised sections.
    assert_eq!(bitmap.encoded_len(1000), 2 + 125 + 1);
    let raising = Postings::Bitmap {
        impact: 3,
        docs: vec![1, 200],
        raised: vec![Posting {
            doc: 200,
            impact: 180,
        }],
    };
    // And one raised section: delta 200 (2 bytes) + impact.
    assert_eq!(raising.encoded_len(1000), 2 + 125 + 1 + 3);
    for (postings, doc_count) in [(postings, 1000), (bitmap, 1000), (raising, 1000)] {
        let shard = TermShard {
            stems: vec![Stem {
                postings: Cow::Owned(postings.clone()),
                hits: vec![],
            }],
            ..TermShard::default()
        };
        // Version, pages, docs, stems count, df, postings, hits, words, vocabulary.
        assert_eq!(
            shard.encode(doc_count).len(),
            6 + 1 + postings.encoded_len(doc_count) + 1
        );
    }
    let bitmap = Postings::Bitmap {
        impact: 3,
        docs: vec![1, 2],
        raised: vec![Posting { doc: 2, impact: 90 }],
    };
    assert_eq!(bitmap.fallback(), Some(3));
    assert_eq!(
        bitmap.iter().collect::<Vec<_>>(),
        [
            Posting { doc: 1, impact: 3 },
            Posting { doc: 2, impact: 90 }
        ]
    );
}

#[test]
fn files_served_inflated_read_as_gzipped_ones() {
    let shard = sample_shard();
    let bytes = shard.encode(10);
    assert_eq!(TermShard::read(&gzip(&bytes), 10).unwrap(), shard);
    assert_eq!(TermShard::read(&bytes, 10).unwrap(), shard);
    let error = TermShard::read(&[0x1f, 0x8b, 0, 0], 10).unwrap_err();
    assert!(error.problem.contains("gzip"), "{error}");
}

/// The problem reported for `bytes`, read as a shard of an index of 10 documents.
fn problem(bytes: &[u8]) -> String {
    TermShard::decode(bytes, 10).unwrap_err().problem
}

#[test]
fn broken_files_are_errors_that_say_what_is_wrong() {
    let good = sample_shard().encode(10);
    assert!(problem(&good[..good.len() - 1]).contains("ends early"));
    assert!(problem(&[good.as_slice(), &[0]].concat()).contains("left after the end"));
    assert!(problem(&[&[2][..], &good[1..]].concat()).contains("version 2"));
    assert!(problem(&[]).contains("ends early"));
    // The first page's URL, "/a/", made invalid UTF-8.
    let mut bad = good.clone();
    bad[3] = 0xff;
    assert!(problem(&bad).contains("UTF-8"));
    // A count far beyond the file.
    assert!(problem(&[1, 0xff, 0xff, 0xff, 0x7f]).contains("more than the bytes left"));
    // A number of six bytes.
    assert!(problem(&[1, 0x80, 0x80, 0x80, 0x80, 0x80, 0]).contains("longer than five bytes"));
    // A doc pointing at a page that is not there.
    assert!(problem(&[1, 0, 1, 0, 5, 0, 0]).contains("page 5 of 0"));
    // A hit pointing at a doc that is not there.
    assert!(problem(&[1, 0, 0, 1, 1, 0, 0, 7, 1, 0, 0, 0, 0, 0, 0]).contains("document 0 of 0"));
    // A word of a stem that is not there.
    assert!(problem(&[1, 0, 0, 0, 1, 0, 1, b'a', 1, 0]).contains("stem 1 of 0"));
    // A word sharing more than the previous word has.
    assert!(problem(&[1, 0, 0, 0, 1, 3, 1, b'a', 0, 0, 0, 0]).contains("no such prefix"));
    // A word sharing half of an astral character.
    let split = [
        &[1, 0, 0, 0, 2, 0, 4][..],
        "😀".as_bytes(),
        &[0, 0, 0, 1, 0, 0, 0, 0, 0],
    ]
    .concat();
    assert!(problem(&split).contains("no such prefix"));
    // A bitmap whose document frequency is not the number of its documents.
    assert!(problem(&[1, 0, 0, 1, 3, 1, 0, 0b11, 0, 0, 0, 0]).contains("bitmap holds 2"));
    // A bitmap setting a document past the index's end.
    assert!(problem(&[1, 0, 0, 1, 1, 1, 0, 0, 0b100, 0, 0, 0]).contains("past the index"));
    // An unknown kind of postings.
    assert!(problem(&[1, 0, 0, 1, 0, 2, 0, 0, 0]).contains("kind 2"));
    // Doc ids past 32 bits.
    assert!(
        problem(&[1, 1, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 1])
            .contains("larger than 32 bits")
    );

    let error = TermShard::decode(&good[..5], 10).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("{} (at byte {})", error.problem, error.offset)
    );
    assert!(Vocabulary::decode(&[1, 1, 0, 1, b'a', 0]).is_err());
    assert!(
        Chunk::decode(&[1, 0, 1, 0, 0, 0, 0, 0])
            .unwrap_err()
            .problem
            .contains("page 0 of 0")
    );
}

/// Any of a few words, some sharing prefixes, some beyond ASCII.
fn any_word() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!["a", "b", "é", "日", "😀", "ß"]),
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

fn any_text() -> impl Strategy<Value = Cow<'static, str>> {
    any_word().prop_map(Cow::Owned)
}

fn any_number() -> impl Strategy<Value = usize> {
    prop_oneof![0..300usize, Just(u32::MAX as usize)]
}

fn any_pages() -> impl Strategy<Value = Vec<Page<'static>>> {
    prop::collection::vec(
        (any_text(), any_text()).prop_map(|(url, title)| Page { url, title }),
        1..4,
    )
}

/// Postings over an index of `doc_count` documents.
fn any_postings(doc_count: u32) -> impl Strategy<Value = Postings> {
    let docs = prop::collection::btree_set(0..doc_count, 0..20);
    prop_oneof![
        prop::collection::btree_set(any::<u32>(), 0..20).prop_flat_map(|docs| {
            let len = docs.len();
            prop::collection::vec(any::<u8>(), len).prop_map(move |impacts| {
                Postings::List(
                    docs.iter()
                        .zip(impacts)
                        .map(|(&doc, impact)| Posting { doc, impact })
                        .collect(),
                )
            })
        }),
        (1u8..=85, docs, any::<u8>()).prop_map(|(impact, docs, raise)| {
            let docs: Vec<u32> = docs.into_iter().collect();
            // Every third section raised to a title's band.
            let raised = docs
                .iter()
                .step_by(3)
                .map(|&doc| Posting {
                    doc,
                    impact: 171u8.saturating_add(raise % 85),
                })
                .collect();
            Postings::Bitmap {
                impact,
                docs,
                raised,
            }
        }),
    ]
}

/// A term shard that can be written: references point at what is there, ids ascend.
fn any_shard(doc_count: u32) -> impl Strategy<Value = TermShard<'static>> {
    (
        any_pages(),
        prop::collection::btree_set(any::<u32>(), 0..6),
        1..4usize,
    )
        .prop_flat_map(move |(pages, ids, stem_count)| {
            let page_count = pages.len();
            let doc_count_local = ids.len();
            let docs = ids
                .into_iter()
                .map(|id| {
                    (0..page_count, any_text(), any_text()).prop_map(
                        move |(page, anchor, heading)| ShardDoc {
                            id,
                            page,
                            anchor,
                            heading,
                        },
                    )
                })
                .collect::<Vec<_>>();
            let hit = move || {
                (
                    0..doc_count_local.max(1),
                    any::<u8>(),
                    any::<u8>(),
                    any_text(),
                )
                    .prop_map(|(doc, impact, flags, window)| Hit {
                        doc,
                        impact,
                        flags,
                        window,
                    })
            };
            let hits_len = if doc_count_local == 0 { 0..1 } else { 0..4 };
            let stems = prop::collection::vec(
                (
                    any_postings(doc_count),
                    prop::collection::vec(hit(), hits_len),
                )
                    .prop_map(|(postings, hits)| Stem {
                        postings: Cow::Owned(postings),
                        hits,
                    }),
                stem_count,
            );
            let place = prop_oneof![
                (0..stem_count).prop_map(|stem| WordPlace::Here { stem }),
                (any_number(), any_number())
                    .prop_map(|(shard, df)| WordPlace::Elsewhere { shard, df }),
            ];
            let words = prop::collection::vec(
                (any_text(), place).prop_map(|(word, place)| ShardWord { word, place }),
                0..8,
            );
            let vocabulary = prop::option::of(0..u32::MAX as usize);
            (Just(pages), docs, stems, words, vocabulary).prop_map(
                |(pages, docs, stems, words, vocabulary)| TermShard {
                    pages,
                    docs,
                    stems,
                    words,
                    vocabulary,
                },
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_term_shard_reads_back(shard in any_shard(40)) {
        let bytes = shard.encode(40);
        prop_assert_eq!(TermShard::decode(&bytes, 40).unwrap(), shard.clone());
        prop_assert_eq!(TermShard::read(&gzip(&bytes), 40).unwrap(), shard);
    }

    #[test]
    fn any_vocabulary_reads_back(
        words in prop::collection::vec((any_text(), any_number(), any_number()), 0..10),
    ) {
        let vocabulary = Vocabulary {
            words: words
                .into_iter()
                .map(|(word, shard, df)| VocabularyWord { word, shard, df })
                .collect(),
        };
        prop_assert_eq!(Vocabulary::decode(&vocabulary.encode()).unwrap(), vocabulary);
    }

    #[test]
    fn any_chunk_reads_back(
        pages in any_pages(),
        docs in prop::collection::vec((0..3usize, any_text(), any_text(), any::<u8>(), any_text()), 0..6),
    ) {
        let docs = docs
            .into_iter()
            .map(|(page, anchor, heading, flags, text)| ChunkDoc {
                page: page % pages.len(),
                anchor,
                heading,
                flags,
                text,
            })
            .collect();
        let chunk = Chunk { pages, docs };
        prop_assert_eq!(Chunk::decode(&chunk.encode()).unwrap(), chunk);
    }

    #[test]
    fn any_bytes_are_read_or_refused_without_a_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..64),
        doc_count in 0..100usize,
    ) {
        let mut bytes = bytes;
        if let Some(first) = bytes.first_mut() {
            *first = FILE_VERSION;
        }
        let _ = TermShard::decode(&bytes, doc_count);
        let _ = Vocabulary::decode(&bytes);
        let _ = Chunk::decode(&bytes);
        let _ = TermShard::read(&bytes, doc_count);
        let _ = Manifest::decode(&bytes);
    }

    #[test]
    fn changing_a_byte_of_a_real_shard_never_panics(at in 0..200usize, value in any::<u8>()) {
        let mut bytes = sample_shard().encode(10);
        let at = at % bytes.len();
        bytes[at] = value;
        let _ = TermShard::decode(&bytes, 10);
    }
}
