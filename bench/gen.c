/* gen.c - deterministic corpus and query-mix generator for `make bench`
 *
 * Writes N Markdown articles with YAML front matter (title, 1-3 authors,
 * date, source) into folders of 1,000 files, and a query mix.  The same
 * --docs and --seed always give byte-identical output, on any machine, so
 * figures from different runs and branches compare.  Bodies draw words
 * from a Zipf-distributed vocabulary (English function words first, then
 * ~50,000 generated pseudo-words), mixed with the field's own terms and
 * fixed phrases, so that the postings look like a real corpus: a few very
 * long lists and a long tail of rare terms.
 *
 * Usage: gen --docs N --seed S --out DIR | gen --names N
 * Writes DIR/NNNN/doc-NNNNNNN.md and DIR/queries.tsv (one query a line:
 * QUERY<TAB>AUTHOR<TAB>SINCE<TAB>UNTIL, empty fields when unfiltered; the
 * first 200 lines are unfiltered, the next 200 the same queries filtered).
 * It must not depend on anything but libc: no dossier code, no Xapian.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_VOCAB 50000
#define N_AUTHORS 300
#define N_QUERIES 200
#define PER_FOLDER 1000

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, so output never depends on libc's rand() */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static unsigned
rng_below(unsigned n)
{
    return (unsigned)(rng_next() % n);
}

static double
rng_unit(void)
{
    return (double)(rng_next() >> 11) / 9007199254740992.0;
}

/* ------------------------------------------------------------------ */
/* Vocabulary                                                          */

static const char *const function_words[] = {
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "for", "it",
    "with", "as", "on", "be", "at", "by", "this", "had", "not", "are",
    "but", "from", "or", "have", "an", "they", "which", "one", "were",
    "all", "their", "there", "been", "has", "when", "who", "will", "more",
    "no", "if", "out", "so", "what", "up", "its", "about", "than", "into",
    "them", "can", "only", "other", "new", "some", "could", "these", "two",
    "may", "first", "then", "do", "any", "like", "now", "such", "our",
    "over", "also", "most", "made", "after", "where", "should", "would",
    "between", "against", "under", "while", "because", "without", "since",
};
#define N_FUNCTION (sizeof function_words / sizeof *function_words)

/* The field's terms, drawn often; the transliteration pairs are the
 * synonyms dossier's config declares. */
static const char *const field_words[] = {
    "nato", "ukraine", "russia", "alliance", "sanctions", "kyiv", "kiev",
    "moscow", "brussels", "washington", "deterrence", "defence", "security",
    "guarantees", "summit", "membership", "article", "treaty", "missile",
    "artillery", "ammunition", "brigade", "battlegroup", "baltic", "poland",
    "lithuania", "estonia", "latvia", "finland", "sweden", "crimea",
    "donbas", "donbass", "kharkiv", "kharkov", "odesa", "odessa",
    "zelensky", "zelenskyy", "zelenskiy", "mariupol", "bakhmut", "avdiivka",
    "zaporizhzhia", "kherson", "escalation", "ceasefire", "negotiations",
    "minsk", "budapest", "memorandum", "reassurance", "readiness",
    "interoperability", "procurement", "patriot", "himars", "leopard",
    "abrams", "drones", "shahed", "airspace", "corridor", "grain",
    "pipeline", "energy", "gas", "reconstruction", "accession", "veto",
    "hungary", "turkey", "germany", "france", "britain", "pentagon",
    "kremlin", "belarus", "suwalki", "kaliningrad", "black", "sea", "azov",
    "frontline", "counteroffensive", "mobilisation", "conscription",
    "commander", "general", "secretary", "minister", "parliament", "rada",
};
#define N_FIELD (sizeof field_words / sizeof *field_words)

static const char *const phrases[] = {
    "security guarantees", "Article 5", "air defence systems",
    "collective defence", "eastern flank", "long-range strikes",
    "Black Sea Fleet", "frozen conflict", "enhanced forward presence",
    "peace talks", "defence spending", "Kyiv and Moscow",
};
#define N_PHRASES (sizeof phrases / sizeof *phrases)

static const char *const syllables[] = {
    "ka", "ro", "mi", "ten", "sal", "vor", "du", "lin", "pe", "tra", "os",
    "bel", "nik", "ar", "ul", "gro", "ve", "sta", "dor", "em", "fi", "lan",
    "mo", "zu", "chen", "rai", "qua", "ber", "tis", "po", "len", "gar",
    "wes", "ith", "ok", "ham", "bri", "sol", "ne", "ta", "ric", "pol",
    "dan", "ex", "mur", "vi", "cor", "hel",
};
#define N_SYLL (sizeof syllables / sizeof *syllables)

static char *vocab[N_FUNCTION + N_VOCAB];
static size_t n_vocab;
static double *zipf_cdf;

/* A pseudo-word from number I: distinct for distinct I (syllables are a
 * base-48 numeral, least significant first). */
static char *
make_word(unsigned i)
{
    char buf[64];
    size_t len = 0;
    unsigned v = i + N_SYLL;    /* at least two syllables */
    while (v) {
        const char *s = syllables[v % N_SYLL];
        size_t l = strlen(s);
        memcpy(buf + len, s, l);
        len += l;
        v /= N_SYLL;
    }
    buf[len] = '\0';
    return strdup(buf);
}

static void
vocab_init(void)
{
    for (size_t i = 0; i < N_FUNCTION; i++)
        vocab[n_vocab++] = (char *)function_words[i];
    for (unsigned i = 0; i < N_VOCAB; i++)
        vocab[n_vocab++] = make_word(i * 7919u % 100003u);
    /* Zipf with s = 1: P(rank r) ~ 1 / (r + 1). */
    zipf_cdf = malloc(n_vocab * sizeof *zipf_cdf);
    double sum = 0;
    for (size_t r = 0; r < n_vocab; r++) {
        sum += 1.0 / (double)(r + 1);
        zipf_cdf[r] = sum;
    }
    for (size_t r = 0; r < n_vocab; r++)
        zipf_cdf[r] /= sum;
}

static size_t
zipf_rank(void)
{
    double u = rng_unit();
    size_t lo = 0, hi = n_vocab - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (zipf_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Field terms are Zipf-like too: the first ones are the commonest. */
static const char *
field_word(void)
{
    double u = rng_unit();
    return field_words[(size_t)(u * u * (double)N_FIELD)];
}

/* ------------------------------------------------------------------ */
/* Authors: diacritics and transliteration variants                    */

static const char *const first_names[] = {
    "Olena", "Oleksandr", "Olexandr", "Cécile", "Jürgen", "Juergen",
    "Łukasz", "Lukasz", "Mykola", "Nikolai", "Søren", "Soren", "Zoë",
    "Zoe", "Andrés", "Andres", "Tomáš", "Tomas", "Ingrid", "Michael",
    "Anna", "Dmytro", "Dmitri", "Kateryna", "Ekaterina", "Mārtiņš",
    "Martins", "Eglė", "Egle", "Jörg", "Joerg", "Hélène", "Helene",
    "Piotr", "Ágnes", "Agnes", "Iryna", "Irina", "Yuliia", "Julia",
};
#define N_FIRST (sizeof first_names / sizeof *first_names)

static const char *const last_names[] = {
    "Kovalenko", "Kowalenko", "Hrytsenko", "Gritsenko", "Vérany", "Verany",
    "Müller", "Mueller", "Wiśniewski", "Wisniewski", "Shevchenko",
    "Schewtschenko", "Østergaard", "Ostergaard", "Novák", "Novak",
    "Lindqvist", "McFaul", "Zelinska", "Zelinskaya", "Tkachenko",
    "Tkatchenko", "Bērziņš", "Berzins", "Kazlauskaitė", "Kazlauskaite",
    "Dubois", "Nowak", "Horváth", "Horvath", "Bondarenko", "Petrenko",
    "Savchenko", "Lysenko", "Melnyk", "Melnik", "Kuznetsova", "Rossi",
    "Fischer", "Svensson",
};
#define N_LAST (sizeof last_names / sizeof *last_names)

static char *authors[N_AUTHORS];

static void
authors_init(void)
{
    for (unsigned i = 0; i < N_AUTHORS; i++) {
        const char *f = first_names[i % N_FIRST];
        const char *l = last_names[(i * 7 + i / N_FIRST) % N_LAST];
        size_t len = strlen(f) + strlen(l) + 2;
        authors[i] = malloc(len);
        snprintf(authors[i], len, "%s %s", f, l);
    }
}

/* An author, the first ones more prolific. */
static unsigned
pick_author(void)
{
    double u = rng_unit();
    return (unsigned)(u * u * (double)N_AUTHORS);
}

static const char *const sources[] = {
    "The Dnipro Ledger", "Baltic Security Review", "Atlantic Notes",
    "Kyiv Independent Digest", "Warsaw Defence Weekly", "Brussels Brief",
    "Nordic Strategy Monitor", "Black Sea Observer", "Eastern Flank Report",
    "Transatlantic Quarterly", "War on the Rocks Notes", "Field Dispatches",
};
#define N_SOURCES (sizeof sources / sizeof *sources)

static const char *const months[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};

/* ------------------------------------------------------------------ */
/* Text                                                                */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf_t;

static void
buf_add(buf_t *b, const char *s, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p) {
            perror("gen");
            exit(2);
        }
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, len);
    b->len += len;
    b->p[b->len] = '\0';
}

static void
buf_adds(buf_t *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Append WORD, capitalised when CAP (ASCII first letter only). */
static void
add_word(buf_t *b, const char *word, int cap)
{
    if (cap && word[0] >= 'a' && word[0] <= 'z') {
        char c = (char)(word[0] - 32);
        buf_add(b, &c, 1);
        buf_adds(b, word + 1);
    } else {
        buf_adds(b, word);
    }
}

/* One word of running text: 12% field terms, 0.6% a fixed phrase (counted
 * as two words), the rest from the Zipf vocabulary.  Returns the number
 * of words added. */
static unsigned
body_word(buf_t *b, int cap)
{
    double u = rng_unit();
    if (u < 0.006) {
        add_word(b, phrases[rng_below(N_PHRASES)], cap);
        return 2;
    }
    if (u < 0.126) {
        add_word(b, field_word(), cap);
        return 1;
    }
    add_word(b, vocab[zipf_rank()], cap);
    return 1;
}

static void
make_body(buf_t *b)
{
    unsigned target = 300 + rng_below(1201), words = 0;
    while (words < target) {
        unsigned sentences = 3 + rng_below(5);
        for (unsigned s = 0; s < sentences && words < target; s++) {
            unsigned n = 8 + rng_below(13);
            for (unsigned w = 0; w < n; w++) {
                if (w)
                    buf_adds(b, w == n / 2 && rng_below(4) == 0 ? ", "
                                                                : " ");
                words += body_word(b, w == 0);
            }
            buf_adds(b, s + 1 < sentences && words < target ? ". " : ".");
        }
        buf_adds(b, "\n\n");
    }
}

static void
make_title(buf_t *b)
{
    unsigned n = 4 + rng_below(6);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            buf_adds(b, " ");
        if (i % 2 == 0)
            add_word(b, field_word(), 1);
        else
            add_word(b, vocab[N_FUNCTION + rng_below(2000)], 1);
    }
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

static int
mkdir_p(const char *path)
{
    if (mkdir(path, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int
write_file(const char *path, const buf_t *b)
{
    FILE *f = fopen(path, "w");
    if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f) != 0) {
        fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int
write_doc(const char *dir, unsigned long i)
{
    buf_t b = { 0 };
    char path[4096], line[256];
    int y = 2014 + (int)rng_below(13), m = 1 + (int)rng_below(12);
    int d = 1 + (int)rng_below(28);

    buf_adds(&b, "---\ntitle: \"");
    make_title(&b);
    buf_adds(&b, "\"\n");
    unsigned na = 1 + (rng_below(10) < 2) + (rng_below(10) < 1);
    unsigned a0 = pick_author();
    if (na == 1) {
        snprintf(line, sizeof line, "author: %s\n", authors[a0]);
        buf_adds(&b, line);
    } else {
        buf_adds(&b, "authors:\n");
        for (unsigned k = 0; k < na; k++) {
            unsigned a = k ? (a0 + 1 + rng_below(N_AUTHORS - 1)) %
                             N_AUTHORS : a0;
            snprintf(line, sizeof line, "  - %s\n", authors[a]);
            buf_adds(&b, line);
        }
    }
    if (rng_below(10) == 0)
        snprintf(line, sizeof line, "date: %s %d, %d\n", months[m - 1], d, y);
    else
        snprintf(line, sizeof line, "date: %04d-%02d-%02d\n", y, m, d);
    buf_adds(&b, line);
    snprintf(line, sizeof line, "source: %s\n---\n\n",
             sources[rng_below(N_SOURCES)]);
    buf_adds(&b, line);
    make_body(&b);

    snprintf(path, sizeof path, "%s/%04lu", dir, i / PER_FOLDER);
    if (i % PER_FOLDER == 0 && mkdir_p(path) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/%04lu/doc-%07lu.md", dir,
             i / PER_FOLDER, i);
    int rc = write_file(path, &b);
    free(b.p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

/* A word of the vocabulary in a band of ranks: frequent (< 200), middle,
 * or rare (the tail, a few documents each at N = 20,000). */
static const char *
band_word(int band)
{
    switch (band) {
    case 0:
        return vocab[N_FUNCTION + rng_below(200)];
    case 1:
        return vocab[N_FUNCTION + 200 + rng_below(2000)];
    default:
        return vocab[N_FUNCTION + 5000 + rng_below(N_VOCAB - 5000)];
    }
}

static void
make_query(buf_t *q, unsigned i)
{
    switch (i % 10) {
    case 0:     /* one frequent word */
        buf_adds(q, band_word(0));
        break;
    case 1:     /* one rare word */
        buf_adds(q, band_word(2));
        break;
    case 2:     /* a field term */
        buf_adds(q, field_word());
        break;
    case 3:     /* a fixed phrase */
        buf_adds(q, "\"");
        buf_adds(q, phrases[rng_below(N_PHRASES)]);
        buf_adds(q, "\"");
        break;
    case 4:     /* two frequent words */
        buf_adds(q, band_word(0));
        buf_adds(q, " ");
        buf_adds(q, band_word(0));
        break;
    case 5:     /* field term and middle word */
        buf_adds(q, field_word());
        buf_adds(q, " ");
        buf_adds(q, band_word(1));
        break;
    case 6:     /* three words */
        buf_adds(q, field_word());
        buf_adds(q, " ");
        buf_adds(q, band_word(0));
        buf_adds(q, " ");
        buf_adds(q, band_word(1));
        break;
    case 7:     /* a two-word phrase of frequent words */
        buf_adds(q, "\"");
        buf_adds(q, field_word());
        buf_adds(q, " ");
        buf_adds(q, field_word());
        buf_adds(q, "\"");
        break;
    case 8:     /* frequent and rare */
        buf_adds(q, band_word(0));
        buf_adds(q, " ");
        buf_adds(q, band_word(2));
        break;
    default:    /* a transliteration variant (synonyms) */
        buf_adds(q, rng_below(2) ? "kiev" : "kharkov");
        break;
    }
}

static int
write_queries(const char *dir)
{
    char path[4096];
    buf_t out = { 0 };
    char *qs[N_QUERIES];

    for (unsigned i = 0; i < N_QUERIES; i++) {
        buf_t q = { 0 };
        make_query(&q, i);
        qs[i] = q.p;
        buf_adds(&out, q.p);
        buf_adds(&out, "\t\t\t\n");
    }
    /* The same queries, filtered: by author (a surname, matched as a word
     * of the name), by a period, or both. */
    for (unsigned i = 0; i < N_QUERIES; i++) {
        char line[512];
        const char *name = authors[pick_author()];
        const char *surname = strrchr(name, ' ') + 1;
        int y = 2014 + (int)rng_below(12);
        switch (i % 4) {
        case 0:
            snprintf(line, sizeof line, "\t%s\t\t\n", surname);
            break;
        case 1:
            snprintf(line, sizeof line, "\t\t%d\t\n", y);
            break;
        case 2:
            snprintf(line, sizeof line, "\t\t%d-%02d\t%d\n", y,
                     1 + (int)rng_below(12), y + 1);
            break;
        default:
            snprintf(line, sizeof line, "\t%s\t\t%d\n", surname, y);
            break;
        }
        buf_adds(&out, qs[i]);
        buf_adds(&out, line);
        free(qs[i]);
    }
    snprintf(path, sizeof path, "%s/queries.tsv", dir);
    int rc = write_file(path, &out);
    free(out.p);
    return rc;
}

/* N distinct words of the vocabulary, one a line, spread evenly over the
 * ranks past the 200 commonest (a few in hundreds of documents, most in
 * a handful at N = 20,000): what a list of names looks like to the index.
 * No random numbers: the same list for every seed and N. */
static void
write_names(unsigned long n)
{
    const unsigned span = N_VOCAB - 200;

    vocab_init();
    for (unsigned long i = 0; i < n && i < span; i++)
        /* 7919 is prime and does not divide SPAN: I -> I * 7919 mod SPAN
         * is one-to-one. */
        puts(vocab[N_FUNCTION + 200 + (i * 7919u) % span]);
}

/* ------------------------------------------------------------------ */

static void
usage(FILE *f)
{
    fputs("usage: gen --docs N --seed S --out DIR | gen --names N\n", f);
}

int
main(int argc, char **argv)
{
    unsigned long docs = 0, seed = 1;
    const char *out = NULL;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--docs") == 0 && i + 1 < argc)
            docs = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--names") == 0 && i + 1 < argc) {
            write_names(strtoul(argv[++i], NULL, 10));
            return fflush(stdout) == 0 ? 0 : 2;
        }        else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!out || docs == 0) {
        usage(stderr);
        return 2;
    }
    rng_state = seed;
    vocab_init();
    authors_init();
    if (mkdir_p(out) < 0)
        return 2;
    for (unsigned long i = 0; i < docs; i++)
        if (write_doc(out, i) < 0)
            return 2;
    /* Queries come from a stream of their own, so they stay the same
     * whatever N is. */
    rng_state = seed ^ 0x5175657269657321ULL;
    if (write_queries(out) < 0)
        return 2;
    return 0;
}
