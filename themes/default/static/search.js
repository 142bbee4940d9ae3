/* gongkai site search (docs/search.md). No dependencies, no build step.
 *
 * The index is static: search/meta.json (documents, vocabulary, shard table)
 * and search/t/<nn>.json (posting lists). The query is segmented against the
 * vocabulary by maximum matching, forward and backward; the documents that
 * hold every word are ranked by BM25 (the narrative, and the meta field of
 * title, agency, year and region weighted higher) and the top results' own
 * pages are fetched for a snippet around the first hit, whole query words
 * marked.
 *
 * The first part is pure functions (node loads this file in the tests); the
 * DOM glue at the end runs only in a browser, on the page search.html makes.
 */
(function () {
  'use strict';

  var FORMAT = 3;
  var MAX_RESULTS = 20;
  /* BM25's parameters (the usual ones), and the weight of a hit in the meta
   * field (title, agency, year, region) against one in the body: above
   * K1 + 1, the most a body hit can score, so a report of the agency named
   * ranks above one that only mentions it. */
  var K1 = 1.2;
  var B = 0.75;
  var META_WEIGHT = 3;
  var MAX_RUNS = 8;
  var SNIPPET_CHARS = 120;

  // ---------------------------------------------------------------------
  // Text

  /* Full-width ASCII forms to ASCII, the ideographic space to a space, ASCII
   * upper case to lower case: as the index was built (src/search.rs `fold`
   * and the lower-casing of terms). Keeps the length in UTF-16 units, so
   * positions in the folded text are positions in the original. */
  function fold(s) {
    return String(s).replace(/[\uFF01-\uFF5E\u3000A-Z]/g, function (c) {
      var code = c.charCodeAt(0);
      if (code === 0x3000) return ' ';
      if (code >= 0xFF01) code -= 0xFEE0;
      if (code >= 65 && code <= 90) code += 32;
      return String.fromCharCode(code);
    });
  }

  var ASCII_ALNUM = /^[0-9a-z]$/;
  var WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
  /* Characters jieba keeps inside a block of Han and Latin (C++, a_b): part
   * of a run, but never a term on their own. */
  var CONNECTORS = '+#&._%-';

  function isAsciiAlnum(c) {
    return ASCII_ALNUM.test(c);
  }

  function isConnector(c) {
    return CONNECTORS.indexOf(c) >= 0;
  }

  /* The runs of the folded query: maximal sequences of letters, digits and
   * connectors, as arrays of characters (code points). */
  function runs(folded) {
    var out = [];
    var cur = [];
    Array.from(folded).forEach(function (c) {
      if (WORD_CHAR.test(c) || isConnector(c)) {
        cur.push(c);
      } else if (cur.length) {
        out.push(cur);
        cur = [];
      }
    });
    if (cur.length) out.push(cur);
    return out;
  }

  // ---------------------------------------------------------------------
  // Segmentation: maximum matching against the vocabulary

  /* Whether a piece may end before position j of cs: jieba never splits a
   * run of ASCII letters and digits. */
  function boundary(cs, j) {
    return j <= 0 || j >= cs.length || !(isAsciiAlnum(cs[j - 1]) && isAsciiAlnum(cs[j]));
  }

  /* Forward maximum matching: at each position the longest vocabulary term
   * (two characters or more); else the run of ASCII letters and digits there;
   * else the single character (a connector is skipped). */
  function forward(cs, has, maxLen) {
    var out = [];
    var i = 0;
    while (i < cs.length) {
      var found = 0;
      for (var j = Math.min(cs.length, i + maxLen); j >= i + 2; j--) {
        if (boundary(cs, j) && has(cs.slice(i, j).join(''))) {
          found = j;
          break;
        }
      }
      if (found) {
        out.push(cs.slice(i, found).join(''));
        i = found;
      } else if (isAsciiAlnum(cs[i])) {
        var k = i;
        while (k < cs.length && isAsciiAlnum(cs[k])) k++;
        out.push(cs.slice(i, k).join(''));
        i = k;
      } else {
        if (!isConnector(cs[i])) out.push(cs[i]);
        i++;
      }
    }
    return out;
  }

  /* Backward maximum matching: the same from the end of the run. */
  function backward(cs, has, maxLen) {
    var out = [];
    var j = cs.length;
    while (j > 0) {
      var found = -1;
      for (var i = Math.max(0, j - maxLen); i <= j - 2; i++) {
        if (boundary(cs, i) && has(cs.slice(i, j).join(''))) {
          found = i;
          break;
        }
      }
      if (found >= 0) {
        out.push(cs.slice(found, j).join(''));
        j = found;
      } else if (isAsciiAlnum(cs[j - 1])) {
        var k = j - 1;
        while (k > 0 && isAsciiAlnum(cs[k - 1])) k--;
        out.push(cs.slice(k, j).join(''));
        j = k;
      } else {
        if (!isConnector(cs[j - 1])) out.push(cs[j - 1]);
        j--;
      }
    }
    return out.reverse();
  }

  /* What makes a reading worse, in order: terms the index lacks, more terms,
   * more single characters. */
  function cost(pieces, has) {
    var missing = 0;
    var singles = 0;
    pieces.forEach(function (p) {
      if (!has(p)) missing++;
      if (Array.from(p).length === 1 && !isAsciiAlnum(p)) singles++;
    });
    return [missing, pieces.length, singles];
  }

  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) return a[i] - b[i];
    }
    return 0;
  }

  /* Segments a query. Each run (a word as typed) is read by forward and by
   * backward maximum matching. Where the two differ (江宁镇: 江宁|镇 or
   * 江|宁镇) jieba may have cut the documents either way, so both readings
   * whose terms are all in the index are kept, the better first (fewer
   * terms, then fewer single characters; backward on a tie), and when the
   * better one has a single character, the reading of every character
   * alone; a run matches a document that holds every term of one of its
   * readings. When no reading is wholly in the index, the better one is
   * kept, to say what is missing. Returns { runs: [{ word, readings }], terms, words }: `terms`
   * are the distinct terms of all readings, the first reading's first;
   * `words` the runs as typed (folded), for snippets. */
  function segment(query, has, maxLen) {
    var out = { runs: [], terms: [], words: [] };
    runs(fold(query)).forEach(function (cs) {
      var f = forward(cs, has, maxLen);
      var b = backward(cs, has, maxLen);
      if (!f.length && !b.length) return;
      var cf = cost(f, has);
      var cb = cost(b, has);
      var readings = compare(cf, cb) < 0 ? [f, b] : [b, f];
      if (readings[0].join(' ') === readings[1].join(' ')) {
        readings.pop();
      } else if (Math.min(cf[0], cb[0]) === 0) {
        readings = readings.filter(function (r) {
          return cost(r, has)[0] === 0;
        });
      } else {
        readings.pop();
      }
      // jieba leaves characters single where its dictionary path prefers
      // that (本年制发 is 本|年|制|发 though 本年 is a word): when the best
      // reading has a single character, reading every character alone is
      // kept too, if the index has them all.
      var singles = cs.filter(function (c) {
        return !isConnector(c);
      });
      if (
        singles.length > 1 &&
        cost(readings[0], has)[2] > 0 &&
        !singles.some(isAsciiAlnum) &&
        singles.every(has) &&
        readings.every(function (r) {
          return r.length !== singles.length;
        })
      ) {
        readings.push(singles);
      }
      var word = cs.join('');
      out.runs.push({ word: word, readings: readings });
      if (out.words.indexOf(word) < 0) out.words.push(word);
      readings.forEach(function (r) {
        r.forEach(function (t) {
          if (out.terms.indexOf(t) < 0) out.terms.push(t);
        });
      });
    });
    return out;
  }

  // ---------------------------------------------------------------------
  // Posting lists

  /* What a stored count level stands for in BM25 (src/search.rs
   * `tf_level`): 1 = once, 2 = two or three times, 3 = four or more. */
  var LEVEL_TF = [0, 1, 2.5, 5];

  /* Postings of the index (src/search.rs `encode_postings`): the gaps
   * between document ids, each in base 26 with letters, upper case for
   * every digit but the last, lower case for the last (0 = a, 27 = Bb), each
   * followed by the level of the term's count in that document as a digit
   * when it is more than 1. After `!` (src/search.rs `encode_presence`), the
   * documents of the `n` that do NOT hold the term, the others once each.
   * Returns { ids, tfs }, ids sorted, tfs as LEVEL_TF gives them. */
  function decodePostings(s, n) {
    var ids = [];
    var tfs = [];
    var prev = 0;
    var acc = 0;
    var negated = s.charAt(0) === '!';
    for (var i = negated ? 1 : 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 49 && c <= 57) {
        if (tfs.length) tfs[tfs.length - 1] = LEVEL_TF[Math.min(c - 48, LEVEL_TF.length - 1)];
      } else if (c >= 65 && c <= 90) {
        acc = acc * 26 + (c - 65);
      } else if (c >= 97 && c <= 122) {
        prev += acc * 26 + (c - 97);
        ids.push(prev);
        tfs.push(1);
        acc = 0;
      }
    }
    if (!negated) return { ids: ids, tfs: tfs };
    var out = [];
    var k = 0;
    for (var d = 0; d < n; d++) {
      if (k < ids.length && ids[k] === d) k++;
      else out.push(d);
    }
    return {
      ids: out,
      tfs: out.map(function () {
        return 1;
      })
    };
  }

  /* A term's entry: its document frequency, `:`, its postings in the body,
   * then after `|` its postings in the meta field; `n` documents. The body
   * of a common term (src/search.rs `encode_body`) is either its documents
   * without counts, `~`, and the documents where it weighs most with their
   * counts (the others count once); or, for a term in most documents, `*`
   * and those documents only: the body list is then not all the documents
   * that hold the term (`partial`). */
  function decodeEntry(entry, n) {
    var colon = entry.indexOf(':');
    var rest = entry.slice(colon + 1);
    var bar = rest.indexOf('|');
    var bodyText = bar < 0 ? rest : rest.slice(0, bar);
    var partial = bodyText.charAt(0) === '*';
    if (partial) bodyText = bodyText.slice(1);
    var tilde = bodyText.indexOf('~');
    var body = decodePostings(tilde < 0 ? bodyText : bodyText.slice(0, tilde), n);
    if (tilde >= 0) {
      var top = decodePostings(bodyText.slice(tilde + 1), n);
      var at = new Map();
      top.ids.forEach(function (d, i) {
        at.set(d, top.tfs[i]);
      });
      body.tfs = body.ids.map(function (d) {
        return at.has(d) ? at.get(d) : 1;
      });
      if (partial) body = top;
    }
    return {
      df: parseInt(entry.slice(0, colon), 10) || 0,
      body: body,
      meta: decodePostings(bar < 0 ? '' : rest.slice(bar + 1), n),
      partial: partial
    };
  }

  /* Document lengths, as meta.json `lengths` has them: numbers in letters,
   * one per document, in order. */
  function decodeNumbers(s) {
    var out = [];
    var acc = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 65 && c <= 90) {
        acc = acc * 26 + (c - 65);
      } else if (c >= 97 && c <= 122) {
        out.push(acc * 26 + (c - 97));
        acc = 0;
      }
    }
    return out;
  }

  /* BM25's inverse document frequency (the variant that is never negative). */
  function idf(df, n) {
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /* One term's score in one document: BM25 over the body (its length `len`
   * against the average `avg`), plus the meta field's hits, weighted by
   * META_WEIGHT (the field is short, so without length normalisation). */
  function termScore(tfBody, tfMeta, len, avg, df, n) {
    var norm = K1 * (1 - B + (avg > 0 ? (B * len) / avg : B));
    var body = tfBody > 0 ? (tfBody * (K1 + 1)) / (tfBody + norm) : 0;
    var meta = tfMeta > 0 ? (META_WEIGHT * tfMeta * (K1 + 1)) / (tfMeta + K1) : 0;
    return idf(df, n) * (body + meta);
  }

  /* Intersection of sorted lists, shortest first. */
  function intersect(lists) {
    if (!lists.length) return [];
    var sorted = lists.slice().sort(function (a, b) {
      return a.length - b.length;
    });
    var acc = sorted[0];
    for (var l = 1; l < sorted.length && acc.length; l++) {
      var other = sorted[l];
      var out = [];
      var j = 0;
      for (var i = 0; i < acc.length; i++) {
        while (j < other.length && other[j] < acc[i]) j++;
        if (j < other.length && other[j] === acc[i]) out.push(acc[i]);
      }
      acc = out;
    }
    return acc;
  }

  /* Union of sorted lists: merged pairwise, each merge linear. */
  function union(lists) {
    if (!lists.length) return [];
    var acc = lists[0];
    for (var l = 1; l < lists.length; l++) {
      var other = lists[l];
      var out = [];
      var i = 0;
      var j = 0;
      while (i < acc.length || j < other.length) {
        if (j >= other.length || (i < acc.length && acc[i] < other[j])) {
          out.push(acc[i++]);
        } else if (i >= acc.length || other[j] < acc[i]) {
          out.push(other[j++]);
        } else {
          out.push(acc[i++]);
          j++;
        }
      }
      acc = out;
    }
    return acc.slice();
  }

  /* Orders documents: higher score first, then newer years, then index
   * order. `year(d)` is 0 for pages. */
  function rank(ids, score, year) {
    return ids.slice().sort(function (a, b) {
      return score(b) - score(a) || year(b) - year(a) || a - b;
    });
  }

  // ---------------------------------------------------------------------
  // The index

  function fill(pattern, values) {
    return pattern.replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  /* An index from the parsed meta.json. */
  function Index(meta) {
    if (!meta || meta.version !== FORMAT) {
      throw new Error('search index of an unknown version: ' + (meta && meta.version));
    }
    this.meta = meta;
    this.ids = new Map();
    this.maxLen = 1;
    var terms = meta.terms ? meta.terms.split(' ') : [];
    for (var i = 0; i < terms.length; i++) {
      this.ids.set(terms[i], i);
      var len = Array.from(terms[i]).length;
      if (len > this.maxLen) this.maxLen = len;
    }
    var ids = this.ids;
    this.has = function (t) {
      return ids.has(t);
    };
    this.lengths = decodeNumbers(meta.lengths || '');
    this.avgLen = meta.avg_len || 0;
  }

  Index.prototype.segment = function (query) {
    var s = segment(query, this.has, this.maxLen);
    if (s.runs.length > MAX_RUNS) {
      s.runs = s.runs.slice(0, MAX_RUNS);
      s.words = s.words.filter(function (w) {
        return s.runs.some(function (run) {
          return run.word === w;
        });
      });
      s.terms = [];
      s.runs.forEach(function (run) {
        run.readings.forEach(function (r) {
          r.forEach(function (t) {
            if (s.terms.indexOf(t) < 0) s.terms.push(t);
          });
        });
      });
    }
    return s;
  };

  /* The shard holding term `id`. */
  Index.prototype.shardOf = function (id) {
    var starts = this.meta.shards;
    var lo = 0;
    var hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  /* A shard's file name, relative to search/: t/07.json. */
  Index.prototype.shardFile = function (k) {
    var name = k.toString(36);
    while (name.length < this.meta.shard_width) name = '0' + name;
    return 't/' + name + '.json';
  };

  /* Document `id`: url (relative to the site root), title, agency, year. */
  Index.prototype.doc = function (id) {
    var d = this.meta.list[id];
    if (typeof d[0] === 'string') {
      return { id: id, url: d[0], title: d[1], agency: '', year: 0, page: true };
    }
    var agency = this.meta.agencies[d[0]];
    var name = d[3] || agency[0];
    var year = d[1];
    return {
      id: id,
      url: fill(this.meta.report_url, { slug: agency[1], year: year }),
      title: d[2] || fill(this.meta.report_title, { agency: name, year: year }),
      agency: name,
      year: year,
      page: false
    };
  };

  Index.prototype.year = function (id) {
    var d = this.meta.list[id];
    return typeof d[0] === 'string' ? 0 : d[1];
  };

  /* Runs a query: documents that match every run of it (AND), a run
   * matching through any of its readings, a reading when the document holds
   * each of its terms (in the body or the meta field). A term in most
   * documents, whose body list holds only the documents where it weighs
   * most (`partial`), narrows nothing: it is left out of its reading's
   * terms, and a query of such terms only finds the documents of their
   * lists (`approx`). Ranked by BM25: a document's score is the sum over
   * the runs of its best reading's terms' scores (`termScore`).
   * `loadShard(file)` returns a promise of the parsed shard (`file` as from
   * shardFile). Resolves to { terms, words, missing, unmatched, total,
   * common, approx, ids, scores, results }: `terms` as the first readings
   * have them, `missing` the terms the index does not have (then nothing
   * matches) and `unmatched` the words they come from, `common` the words
   * that narrow nothing (common terms only), `ids` every matching
   * document, ranked, `scores` theirs, `results` the first MAX_RESULTS of
   * them as documents (see `doc`). */
  Index.prototype.search = function (query, loadShard) {
    var self = this;
    var seg = this.segment(query);
    var first = [];
    var missing = [];
    var used = [];
    seg.runs.forEach(function (run) {
      run.readings[0].forEach(function (t) {
        if (first.indexOf(t) < 0) first.push(t);
      });
      run.readings.forEach(function (r) {
        r.forEach(function (t) {
          if (!self.ids.has(t)) {
            if (missing.indexOf(t) < 0) missing.push(t);
          } else if (used.indexOf(t) < 0) {
            used.push(t);
          }
        });
      });
    });
    var unmatched = seg.runs
      .filter(function (run) {
        return run.readings[0].some(function (t) {
          return !self.ids.has(t);
        });
      })
      .map(function (run) {
        return run.word;
      });
    var result = {
      terms: first,
      words: seg.words,
      missing: missing,
      unmatched: unmatched,
      total: 0,
      common: [],
      approx: false,
      ids: [],
      scores: [],
      results: []
    };
    if (!seg.runs.length || missing.length) return Promise.resolve(result);
    var shards = [];
    used.forEach(function (t) {
      var k = self.shardOf(self.ids.get(t));
      if (shards.indexOf(k) < 0) shards.push(k);
    });
    return Promise.all(
      shards.map(function (k) {
        return loadShard(self.shardFile(k));
      })
    ).then(function (loaded) {
      var n = self.meta.docs;
      // Per term: its document frequency, the documents that hold it, and
      // its counts per document in each field.
      var info = new Map();
      used.forEach(function (t) {
        var id = self.ids.get(t);
        var k = self.shardOf(id);
        var e = decodeEntry(loaded[shards.indexOf(k)][id - self.meta.shards[k]], n);
        // Counts by document (0: not there), in arrays as long as the
        // index has documents: lookups while scoring cost nothing.
        var body = new Float32Array(n);
        var meta = new Float32Array(n);
        e.body.ids.forEach(function (d, i) {
          if (d < n) body[d] = e.body.tfs[i];
        });
        e.meta.ids.forEach(function (d, i) {
          if (d < n) meta[d] = e.meta.tfs[i];
        });
        info.set(t, {
          df: e.df,
          body: body,
          meta: meta,
          ids: union([e.body.ids, e.meta.ids]),
          partial: e.partial
        });
      });
      var docsOf = function (t) {
        return info.get(t).ids;
      };
      var exact = function (t) {
        return !info.get(t).partial;
      };
      // A common term whose body list is partial narrows nothing: a
      // reading is matched through its other terms, and a run whose
      // readings are all of such terms only (null) narrows nothing.
      var runDocs = seg.runs.map(function (run) {
        var sets = [];
        run.readings.forEach(function (r) {
          var own = r.filter(exact);
          if (own.length) sets.push(intersect(own.map(docsOf)));
        });
        return sets.length ? union(sets) : null;
      });
      var narrowing = runDocs.filter(function (s) {
        return s !== null;
      });
      // The words that narrow nothing (江宁镇 still narrows through 江宁
      // when its 镇 does not).
      result.common = seg.runs
        .filter(function (run, i) {
          return runDocs[i] === null;
        })
        .map(function (run) {
          return run.word;
        });
      var ids;
      if (narrowing.length) {
        ids = intersect(narrowing);
      } else {
        // Only common words: the documents where they weigh most (their
        // partial lists) that hold them all, else that hold any of them.
        result.approx = true;
        var listed = seg.runs.map(function (run) {
          return union(
            run.readings.map(function (r) {
              return intersect(r.map(docsOf));
            })
          );
        });
        ids = intersect(listed);
        if (!ids.length) ids = union(listed);
      }
      var scoreOf = function (d) {
        var len = self.lengths[d] || 0;
        var total = 0;
        seg.runs.forEach(function (run) {
          var best = 0;
          run.readings.forEach(function (r) {
            var s = 0;
            for (var i = 0; i < r.length; i++) {
              var t = info.get(r[i]);
              var tb = t.body[d];
              var tm = t.meta[d];
              // This reading does not match d (a partial list may lack d).
              if (!tb && !tm && !t.partial) return;
              s += termScore(tb, tm, len, self.avgLen, t.df, n);
            }
            if (s > best) best = s;
          });
          total += best;
        });
        return total;
      };
      var scores = new Map();
      ids.forEach(function (d) {
        scores.set(d, scoreOf(d));
      });
      var ranked = rank(
        ids,
        function (d) {
          return scores.get(d);
        },
        function (d) {
          return self.year(d);
        }
      );
      result.total = ranked.length;
      result.ids = ranked;
      result.scores = ranked.map(function (d) {
        return scores.get(d);
      });
      result.results = ranked.slice(0, MAX_RESULTS).map(function (d) {
        return self.doc(d);
      });
      return result;
    });
  };

  // ---------------------------------------------------------------------
  // Snippets

  var ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

  function decodeEntities(s) {
    return s.replace(/&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);/g, function (m, e) {
      if (e.charAt(0) === '#') {
        var code = e.charAt(1) === 'x' || e.charAt(1) === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        try {
          return String.fromCodePoint(code);
        } catch (err) {
          return m;
        }
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, e) ? ENTITIES[e] : m;
    });
  }

  /* The main text of a page of the portal: the <article> (else <main>, else
   * the whole page) without its header, headings (a report's are the
   * form's section titles), navigation, tables, asides, hidden elements and
   * scripts; white space collapsed. */
  function pageText(html) {
    var s = String(html);
    var m = /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(s);
    if (m) s = m[1];
    var a = /<article\b[^>]*>([\s\S]*)<\/article>/i.exec(s);
    if (a) s = a[1];
    s = s.replace(/<!--[\s\S]*?-->/g, ' ');
    s = s.replace(/<(script|style|template|svg|table|nav|header|aside|noscript|h[1-6])\b[\s\S]*?<\/\1\s*>/gi, ' ');
    s = s.replace(/<(\w+)\b[^>]*\saria-hidden="true"[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ');
    s = s.replace(/<\/?(p|div|section|h[1-6]|li|ul|ol|dl|dt|dd|br|blockquote|pre|tr|td|th|figure|figcaption)\b[^>]*>/gi, ' ');
    s = s.replace(/<[^>]*>/g, '');
    return decodeEntities(s).replace(/\s+/g, ' ').trim();
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function isLow(code) {
    return code >= 0xdc00 && code <= 0xdfff;
  }

  /* What a snippet marks: each query word as typed (folded) that occurs in
   * `folded`, whole; for a word that does not occur as typed (its terms
   * stand apart in the text), its terms of two characters or more (or of
   * ASCII letters and digits). A single character of a longer word is never
   * marked on its own. */
  function needles(folded, words, terms) {
    var out = [];
    words.forEach(function (w) {
      if (!w) return;
      if (folded.indexOf(w) >= 0) {
        if (out.indexOf(w) < 0) out.push(w);
        return;
      }
      terms.forEach(function (t) {
        var whole = Array.from(t).length >= 2 || (t && Array.from(t).every(isAsciiAlnum)) || t === w;
        if (t && whole && w.indexOf(t) >= 0 && out.indexOf(t) < 0) out.push(t);
      });
    });
    return out;
  }

  /* A snippet of `text` around the first hit, as a list of pieces of
   * plain text, `{ text: …, mark: true|false }`: every occurrence of a
   * needle (see `needles`: the query's words as typed, whole) inside it
   * marked. The first hit is that of the earliest needle; with no hit, the
   * start of the text. The page puts the pieces in as text nodes (never as
   * markup). */
  function snippetParts(text, words, terms, size) {
    size = size || SNIPPET_CHARS;
    var folded = fold(text);
    var marks = needles(folded, words, terms);
    var hit = -1;
    marks.forEach(function (t) {
      var i = folded.indexOf(t);
      if (i >= 0 && (hit < 0 || i < hit)) hit = i;
    });
    var start = hit < 0 ? 0 : Math.max(0, hit - Math.floor(size / 4));
    var end = Math.min(text.length, start + size);
    start = Math.max(0, Math.min(start, end - size));
    if (start > 0 && isLow(text.charCodeAt(start))) start--;
    if (end < text.length && isLow(text.charCodeAt(end))) end++;

    var spans = [];
    marks.forEach(function (t) {
      if (!t) return;
      var i = folded.indexOf(t, Math.max(0, start - t.length + 1));
      while (i >= 0 && i < end) {
        spans.push([Math.max(i, start), Math.min(i + t.length, end)]);
        i = folded.indexOf(t, i + 1);
      }
    });
    spans.sort(function (x, y) {
      return x[0] - y[0] || y[1] - x[1];
    });
    var merged = [];
    spans.forEach(function (sp) {
      var last = merged[merged.length - 1];
      if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
      else merged.push([sp[0], sp[1]]);
    });
    var parts = [];
    var plain = function (s) {
      if (s) parts.push({ text: s, mark: false });
    };
    plain(start > 0 ? '…' : '');
    var at = start;
    merged.forEach(function (sp) {
      plain(text.slice(at, sp[0]));
      parts.push({ text: text.slice(sp[0], sp[1]), mark: true });
      at = sp[1];
    });
    plain(text.slice(at, end));
    if (end < text.length) plain('…');
    return parts;
  }

  /* The same snippet as HTML: marked pieces in <mark>, everything escaped. */
  function snippet(text, words, terms, size) {
    return snippetParts(text, words, terms, size)
      .map(function (p) {
        return p.mark ? '<mark>' + escapeHtml(p.text) + '</mark>' : escapeHtml(p.text);
      })
      .join('');
  }

  var api = {
    FORMAT: FORMAT,
    MAX_RESULTS: MAX_RESULTS,
    fold: fold,
    segment: segment,
    forward: forward,
    backward: backward,
    decodePostings: decodePostings,
    decodeEntry: decodeEntry,
    decodeNumbers: decodeNumbers,
    idf: idf,
    termScore: termScore,
    intersect: intersect,
    union: union,
    rank: rank,
    needles: needles,
    Index: Index,
    pageText: pageText,
    escapeHtml: escapeHtml,
    snippetParts: snippetParts,
    snippet: snippet
  };

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
    return;
  }
  if (typeof document === 'undefined') return;

  // ---------------------------------------------------------------------
  // The page (search.html): the form, the results region

  function start() {
    var form = document.querySelector('form[data-root]');
    var region = document.getElementById('search-results');
    if (!form || !region) return;
    var input = form.querySelector('input[name="q"]');
    var root = form.getAttribute('data-root') || './';
    var baseTitle = document.title;
    var index = null;
    var shards = new Map();
    var current = 0;

    function getIndex() {
      if (!index) {
        index = fetch(root + 'search/meta.json', { cache: 'no-cache' })
          .then(function (r) {
            if (!r.ok) throw new Error('HTTP ' + r.status);
            return r.json();
          })
          .then(function (meta) {
            return new Index(meta);
          });
        index.catch(function () {
          index = null;
        });
      }
      return index;
    }

    function loadShard(idx) {
      return function (file) {
        var url = root + 'search/' + file + '?v=' + encodeURIComponent(idx.meta.key);
        if (!shards.has(url)) {
          var p = fetch(url).then(function (r) {
            if (!r.ok) throw new Error('HTTP ' + r.status);
            return r.json();
          });
          p.catch(function () {
            shards.delete(url);
          });
          shards.set(url, p);
        }
        return shards.get(url);
      };
    }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text != null) e.textContent = text;
      return e;
    }

    function status(text) {
      region.textContent = '';
      region.appendChild(el('p', 'search-status', text));
    }

    function quoted(list) {
      return list
        .map(function (t) {
          return '“' + t + '”';
        })
        .join('、');
    }

    function show(res, token) {
      region.textContent = '';
      if (!res.terms.length) {
        region.appendChild(el('p', 'search-status', '请输入要查找的词语。'));
        region.setAttribute('aria-busy', 'false');
        return;
      }
      if (!res.total) {
        var msg = '没有找到同时包含' + quoted(res.words) + '的报告或页面。';
        if (res.missing.length) {
          msg = '没有找到包含' + quoted(res.unmatched) + '的报告或页面。';
          if (
            res.missing.some(function (t) {
              return /^[0-9]+$/.test(t);
            })
          ) {
            msg += '正文中的数字不在索引中，年份可以查找。';
          }
        }
        region.appendChild(el('p', 'search-status', msg));
        region.setAttribute('aria-busy', 'false');
        return;
      }
      var count = '找到 ' + res.total + ' 份报告或页面';
      if (res.approx) {
        // Common words only: their lists hold the documents where they
        // weigh most, not every document that has them.
        count = quoted(res.common) + '见于大多数报告，列出其中最相关的 ' + res.total + ' 份';
      }
      count += res.total > 1 ? '，按相关程度排序' : '';
      if (res.total > res.results.length) count += '，显示前 ' + res.results.length + ' 份';
      count += '（检索词：' + res.words.join('、') + '）';
      if (res.common.length && !res.approx) {
        count += '。' + quoted(res.common) + '见于大多数报告，只用于排序，不用于筛选';
      }
      region.appendChild(el('p', 'search-status', count));
      var list = el('ol', 'search-list');
      var pending = res.results.map(function (doc) {
        var li = el('li', 'search-result');
        var h = el('h2', 'search-title');
        var a = el('a', null, doc.title);
        a.href = root + doc.url;
        h.appendChild(a);
        li.appendChild(h);
        li.appendChild(el('p', 'search-meta', doc.page ? '页面' : doc.agency + ' · ' + doc.year + '年度'));
        var snip = el('p', 'search-snippet');
        li.appendChild(snip);
        list.appendChild(li);
        return fetch(root + doc.url)
          .then(function (r) {
            if (!r.ok) throw new Error('HTTP ' + r.status);
            return r.text();
          })
          .then(function (html) {
            if (token !== current) return;
            // Text nodes and <mark> elements: page text never becomes markup.
            snippetParts(pageText(html), res.words, res.terms).forEach(function (p) {
              snip.appendChild(p.mark ? el('mark', null, p.text) : document.createTextNode(p.text));
            });
          })
          .catch(function () {
            snip.remove();
          });
      });
      region.appendChild(list);
      Promise.all(pending).then(function () {
        if (token === current) region.setAttribute('aria-busy', 'false');
      });
    }

    function run(q) {
      var token = ++current;
      input.value = q;
      document.title = q ? '“' + q + '”的搜索结果 - ' + baseTitle : baseTitle;
      if (!q.trim()) {
        region.textContent = '';
        return;
      }
      region.setAttribute('aria-busy', 'true');
      status('正在查找…');
      getIndex()
        .then(function (idx) {
          return idx.search(q, loadShard(idx));
        })
        .then(function (res) {
          if (token === current) show(res, token);
        })
        .catch(function () {
          if (token !== current) return;
          region.setAttribute('aria-busy', 'false');
          status('搜索索引加载失败，请稍后重试，或按年度、按机关浏览报告。');
        });
    }

    function fromUrl() {
      return new URLSearchParams(window.location.search).get('q') || '';
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var q = input.value.trim();
      var url = window.location.pathname + (q ? '?q=' + encodeURIComponent(q) : '');
      window.history.pushState(null, '', url);
      run(q);
    });
    window.addEventListener('popstate', function () {
      run(fromUrl());
    });
    run(fromUrl());
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
