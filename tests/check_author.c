/* check_author.c - tests of config/author.c: normalising and splitting
 *
 * Table-driven over names from the corpus's world: Polish, Czech, German,
 * French, Turkish, Vietnamese and Nordic diacritics (stripped), Ukrainian
 * and Russian Cyrillic (kept, case-folded), handles, initials, hostile
 * bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "config/author.h"
#include "tests/suites.h"

/* ------------------------------------------------------------- normalise */

typedef struct name_case {
    const char *in;
    const char *norm;       /* author_normalise() */
    const char *key;        /* author_key() */
} name_case_t;

static const name_case_t name_cases[] = {
    { "Michael McFaul", "michael mcfaul", "michael-mcfaul" },
    { "  Michał   Nowak ", "michal nowak", "michal-nowak" },
    { "@McFaul", "@mcfaul", "mcfaul" },
    { "@ McFaul", "@ mcfaul", "mcfaul" },
    { "J. R. Smith", "j r smith", "j-r-smith" },
    { "J.R. Smith", "j r smith", "j-r-smith" },
    /* Polish */
    { "Łukasz Wąsowski", "lukasz wasowski", "lukasz-wasowski" },
    { "Zbigniew Brzeziński", "zbigniew brzezinski", "zbigniew-brzezinski" },
    { "ŻÓŁĆ GĘŚLĄ", "zolc gesla", "zolc-gesla" },
    /* Czech */
    { "Antonín Dvořák", "antonin dvorak", "antonin-dvorak" },
    { "Jiří Šťastný", "jiri stastny", "jiri-stastny" },
    /* German */
    { "Jürgen Weiß", "jurgen weiss", "jurgen-weiss" },
    { "GROẞE Straße", "grosse strasse", "grosse-strasse" },
    { "Ursula von der Leyen", "ursula von der leyen",
      "ursula-von-der-leyen" },
    /* French */
    { "François Hollande", "francois hollande", "francois-hollande" },
    { "Émile Zola", "emile zola", "emile-zola" },
    { "Anne-Marie Slaughter", "anne marie slaughter",
      "anne-marie-slaughter" },
    /* Turkish */
    { "Recep Tayyip Erdoğan", "recep tayyip erdogan",
      "recep-tayyip-erdogan" },
    { "İlber Ortaylı", "ilber ortayli", "ilber-ortayli" },
    /* Nordic, Serbo-Croatian, Vietnamese */
    { "Søren Kierkegaard", "soren kierkegaard", "soren-kierkegaard" },
    { "Đorđe Balašević", "dorde balasevic", "dorde-balasevic" },
    { "Ægir Østergaard", "aegir ostergaard", "aegir-ostergaard" },
    { "Nguyễn Văn An", "nguyen van an", "nguyen-van-an" },
    /* Cyrillic: marks kept, case folded, not transliterated */
    { "Олександр Шевченко", "олександр шевченко", "олександр-шевченко" },
    { "Андрій Йосипенко", "андрій йосипенко", "андрій-йосипенко" },
    { "Їжак Євген", "їжак євген", "їжак-євген" },
    { "Пётр Ёлкин", "пётр ёлкин", "пётр-ёлкин" },
    /* NFD input: the marks recompose (й as и + U+0306) */
    { "\xd0\x98\xcc\x86""ван", "йван", "йван" },
    /* Greek keeps its tonos; final sigma folds to sigma */
    { "Σωκράτης", "σωκράτησ", "σωκράτησ" },
    /* punctuation, spaces, compatibility forms */
    { "O'Brien", "o brien", "o-brien" },
    { "\"Mike\" Jones", "mike jones", "mike-jones" },
    { "smith_john", "smith john", "smith-john" },
    { "Dr. Jane Doe, Jr.", "dr jane doe jr", "dr-jane-doe-jr" },
    { "Anna\tvon  der\nLeyen", "anna von der leyen", "anna-von-der-leyen" },
    { "Kevin\xc2\xa0Rudd", "kevin rudd", "kevin-rudd" },   /* NBSP */
    { "Ste\xc2\xad""fan", "stefan", "stefan" },            /* soft hyphen */
    { "ＭＩＣＨ", "mich", "mich" },                         /* fullwidth */
    { "ﬁnn", "finn", "finn" },                              /* ligature */
    { "Anna@Example", "anna example", "anna-example" },
    /* hostile bytes: invalid UTF-8 dropped */
    { "Dmytro Kuleba\xff", "dmytro kuleba", "dmytro-kuleba" },
    { "Ku\xc3le\xed\xa0\x80""ba", "kuleba", "kuleba" },
    { "\xc0\xaf""abc", "abc", "abc" },
    { "   ", "", "" },
    { "", "", "" },
    { "...", "", "" },
};

START_TEST(test_author_normalise_table)
{
    const name_case_t *c = &name_cases[_i];
    char *norm = author_normalise(c->in);
    char *key = author_key(c->in);

    ck_assert_ptr_nonnull(norm);
    ck_assert_ptr_nonnull(key);
    ck_assert_str_eq(norm, c->norm);
    ck_assert_str_eq(key, c->key);
    free(norm);
    free(key);
}
END_TEST

START_TEST(test_author_normalise_idempotent)
{
    const name_case_t *c = &name_cases[_i];
    char *once = author_normalise(c->in);
    char *twice = author_normalise(once);

    ck_assert_str_eq(twice, once);
    free(once);
    free(twice);
}
END_TEST

START_TEST(test_author_normalise_null)
{
    char *s = author_normalise(NULL);

    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(test_author_normalise_nfd_input)
{
    /* Decomposed input (e + U+0301, o + U+0308) loses its Latin marks
     * just as precomposed input does. */
    char *s = author_normalise("Ce\xcc\x81line Dio\xcc\x88n");

    ck_assert_str_eq(s, "celine dion");
    free(s);
}
END_TEST

/* ---------------------------------------------------------------- words */

typedef struct words {
    char buf[256];
    size_t n;
} words_t;

static void
collect_word(void *ctx, const char *word)
{
    words_t *w = ctx;

    if (w->n++ > 0)
        strcat(w->buf, "|");
    strcat(w->buf, word);
}

START_TEST(test_author_each_word_initials)
{
    words_t w = { "", 0 };

    ck_assert_uint_eq(author_each_word("J. R. Smith", collect_word, &w), 3);
    ck_assert_str_eq(w.buf, "j|r|smith");
    ck_assert_uint_eq(w.n, 3);
}
END_TEST

START_TEST(test_author_each_word_handle)
{
    words_t w = { "", 0 };

    ck_assert_uint_eq(author_each_word("@McFaul", collect_word, &w), 1);
    ck_assert_str_eq(w.buf, "mcfaul");
}
END_TEST

START_TEST(test_author_each_word_accents)
{
    words_t w = { "", 0 };

    ck_assert_uint_eq(author_each_word("  Michał   Nowak ", collect_word,
                                       &w), 2);
    ck_assert_str_eq(w.buf, "michal|nowak");
}
END_TEST

START_TEST(test_author_each_word_empty)
{
    words_t w = { "", 0 };

    ck_assert_uint_eq(author_each_word(" -- ", collect_word, &w), 0);
    ck_assert_uint_eq(author_each_word("", NULL, NULL), 0);
    ck_assert_uint_eq(author_each_word("a b", NULL, NULL), 2);
}
END_TEST

/* ---------------------------------------------------------------- split */

typedef struct split_case {
    const char *in;
    const char *names;      /* joined with '|' */
    size_t n;
} split_case_t;

static const split_case_t split_cases[] = {
    { "Michael McFaul", "Michael McFaul", 1 },
    { "A and B", "A|B", 2 },
    { "Michael McFaul and Anne Applebaum",
      "Michael McFaul|Anne Applebaum", 2 },
    { "A, B and C", "A|B|C", 3 },
    { "A, B, and C", "A|B|C", 3 },
    { "A & B", "A|B", 2 },
    { "A; B", "A|B", 2 },
    { "A;B&C", "A|B|C", 3 },
    { "Michael McFaul, Anne Applebaum", "Michael McFaul|Anne Applebaum", 2 },
    { "By Michael McFaul", "Michael McFaul", 1 },
    { "by Anne Applebaum and Timothy Snyder",
      "Anne Applebaum|Timothy Snyder", 2 },
    { "BY: Timothy Snyder", "Timothy Snyder", 1 },
    { "Byron Smith", "Byron Smith", 1 },
    { "McFaul, Michael", "McFaul, Michael", 1 },
    { "  McFaul ,  Michael ", "McFaul ,  Michael", 1 },
    { "Smith, John, Jones", "Smith|John|Jones", 3 },
    { "McFaul, Michael and Applebaum, Anne",
      "McFaul|Michael|Applebaum|Anne", 4 },
    { "Alexandra Andersen", "Alexandra Andersen", 1 },
    { "Sandra Anderson and Brandon Sanders",
      "Sandra Anderson|Brandon Sanders", 2 },
    { "Anand Menon AND Andrew Anderson", "Anand Menon|Andrew Anderson", 2 },
    { "Olena Zelenska\nDmytro Kuleba", "Olena Zelenska|Dmytro Kuleba", 2 },
    { "Jan Nowak-Jeziorański", "Jan Nowak-Jeziorański", 1 },
    { "  ", "", 0 },
    { "", "", 0 },
    { " , ; & and ", "", 0 },
};

static void
collect_name(void *ctx, const char *name, size_t len)
{
    words_t *w = ctx;

    if (w->n++ > 0)
        strcat(w->buf, "|");
    strncat(w->buf, name, len);
}

START_TEST(test_author_split_table)
{
    const split_case_t *c = &split_cases[_i];
    words_t w = { "", 0 };
    size_t n = author_split(c->in, collect_name, &w);

    ck_assert_str_eq(w.buf, c->names);
    ck_assert_uint_eq(n, c->n);
    ck_assert_uint_eq(w.n, c->n);
}
END_TEST

START_TEST(test_author_split_null)
{
    ck_assert_uint_eq(author_split(NULL, collect_name, NULL), 0);
    ck_assert_uint_eq(author_split("A and B", NULL, NULL), 2);
}
END_TEST

Suite *
author_suite(void)
{
    Suite *s = suite_create("author");
    TCase *tc;
    int n_names = (int)(sizeof name_cases / sizeof name_cases[0]);

    tc = tcase_create("normalise");
    tcase_add_loop_test(tc, test_author_normalise_table, 0, n_names);
    tcase_add_loop_test(tc, test_author_normalise_idempotent, 0, n_names);
    tcase_add_test(tc, test_author_normalise_null);
    tcase_add_test(tc, test_author_normalise_nfd_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("each_word");
    tcase_add_test(tc, test_author_each_word_initials);
    tcase_add_test(tc, test_author_each_word_handle);
    tcase_add_test(tc, test_author_each_word_accents);
    tcase_add_test(tc, test_author_each_word_empty);
    suite_add_tcase(s, tc);

    tc = tcase_create("split");
    tcase_add_loop_test(tc, test_author_split_table, 0,
                        (int)(sizeof split_cases / sizeof split_cases[0]));
    tcase_add_test(tc, test_author_split_null);
    suite_add_tcase(s, tc);
    return s;
}
