/* check_lang.c - tests of languages: detection, stemmers, skeletons
 *
 * Covers xsh_lang_detect() (CLD2), the stemmers of xsh_stem_new() (Hunspell
 * Ukrainian lemmas, the per-script mix, the fallback for unknown words,
 * their errors) and config/translit.c (Latin spellings, skeletons, and the
 * chain lemma -> skeleton that lets Зеленського meet Zelensky).  The texts
 * were written for these tests.  The Ukrainian dictionary is loaded once
 * per TCase in an unchecked fixture; the forked tests inherit it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "config/langcode.h"
#include "config/translit.h"
#include "shim/xsh.h"
#include "tests/suites.h"

/* ---------------------------------------------------------------- detect */

typedef struct detect_case {
    const char *text;
    const char *lang;
} detect_case_t;

static const detect_case_t detect_cases[] = {
    /* One line each. */
    { "Президент підписав закон про посилення протиповітряної оборони",
      "uk" },
    { "Уряд ухвалив рішення щодо відбудови енергетичних об'єктів", "uk" },
    { "Министр заявил, что переговоры продолжатся на следующей неделе",
      "ru" },
    { "В Москве снова обсуждали поставки оружия и санкции", "ru" },
    { "The ministers agreed to speed up deliveries of air defence systems",
      "en" },
    /* Paragraphs. */
    { "Сьогодні вранці в Києві відбулася зустріч міністрів оборони. "
      "Учасники обговорили гарантії безпеки для України, постачання "
      "снарядів та навчання пілотів. Після засідання речниця міністерства "
      "розповіла журналістам, що домовленостей досягнуто з усіх питань.",
      "uk" },
    { "Вчера вечером в столице прошло заседание совета безопасности. "
      "Участники обсудили ситуацию на границе, новые ограничения для "
      "банков и подготовку к зиме. Представитель ведомства отказался "
      "комментировать сообщения о кадровых перестановках.",
      "ru" },
    { "On Tuesday the alliance's foreign ministers met to discuss the "
      "security guarantees offered to Kyiv. Several delegations asked for "
      "a clearer timetable, while others warned that the winter would test "
      "the resilience of the power grid and of public opinion alike.",
      "en" },
    /* Nothing to go on. */
    { "", "" },
    { "12345 67890 ...", "" },
    { "\xff\xfe invalid bytes", "" },
};

START_TEST(test_lang_detect_table)
{
    const detect_case_t *c = &detect_cases[_i];
    char out[XSH_LANG_LEN];
    ck_assert_int_eq(xsh_lang_detect(c->text, strlen(c->text), out, NULL),
                     XSH_OK);
    ck_assert_msg(strcmp(out, c->lang) == 0, "'%.40s...': got '%s', "
                  "expected '%s'", c->text, out, c->lang);
}
END_TEST

START_TEST(test_lang_detect_invalid)
{
    char out[XSH_LANG_LEN] = "xx";
    bool rel = true;
    ck_assert_int_eq(xsh_lang_detect(NULL, 3, out, &rel), XSH_INVALID_ARG);
    ck_assert_str_eq(out, "");
    ck_assert(!rel);
    ck_assert_int_eq(xsh_lang_detect("abc", 3, NULL, NULL), XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_lang_detect(NULL, 0, out, NULL), XSH_OK);
    ck_assert_str_eq(out, "");
}
END_TEST

/* ---------------------------------------------------------------- stems */

static xsh_stem_t *stem_uk, *stem_ru;

static void
stems_setup(void)
{
    char *err = NULL;
    ck_assert_int_eq(xsh_stem_new("uk", NULL, &stem_uk, &err), XSH_OK);
    ck_assert_int_eq(xsh_stem_new("ru", NULL, &stem_ru, &err), XSH_OK);
}

static void
stems_teardown(void)
{
    xsh_stem_free(stem_uk);
    xsh_stem_free(stem_ru);
    stem_uk = stem_ru = NULL;
}

static char *
stem_of(xsh_stem_t *s, const char *word)
{
    char *out = NULL;
    ck_assert_int_eq(xsh_stem_word(s, word, strlen(word), &out), XSH_OK);
    ck_assert_ptr_nonnull(out);
    return out;
}

typedef struct stem_case {
    char doc;               /* 'u': a Ukrainian document's stemmer, 'r' */
    const char *word;
    const char *stem;
} stem_case_t;

static const stem_case_t stem_cases[] = {
    /* Ukrainian lemmas. */
    { 'u', "гарантії", "гарантія" },
    { 'u', "гарантіями", "гарантія" },
    { 'u', "гарантія", "гарантія" },
    { 'u', "безпеки", "безпека" },
    { 'u', "безпекою", "безпека" },
    { 'u', "союзників", "союзник" },
    { 'u', "переговорах", "переговори" },
    { 'u', "війни", "війна" },              /* not війнути: the shortest */
    /* Proper nouns the term generator has lowercased. */
    { 'u', "україни", "україна" },
    { 'u', "Україною", "україна" },
    { 'u', "Зеленського", "зеленський" },
    { 'u', "київ", "київ" },                /* also a form of кий */
    { 'u', "Києва", "київ" },
    { 'u', "Залужного", "залужний" },       /* not the village Залужне */
    { 'u', "Харкові", "харків" },           /* not Харко */
    { 'u', "Львові", "львів" },             /* not the listed Львові */
    /* Other scripts and letters. */
    { 'u', "running", "run" },
    { 'u', "объявил", "объяв" },            /* ъ: Russian */
    { 'r', "безопасности", "безопасн" },
    { 'r', "безопасность", "безопасн" },
    { 'r', "гарантії", "гарантія" },        /* і: Ukrainian */
    { 'r', "Guarantees", "guarante" },
};

START_TEST(test_stem_word_table)
{
    const stem_case_t *c = &stem_cases[_i];
    char *out = stem_of(c->doc == 'u' ? stem_uk : stem_ru, c->word);
    ck_assert_msg(strcmp(out, c->stem) == 0, "%c %s: got '%s', expected "
                  "'%s'", c->doc, c->word, out, c->stem);
    free(out);
}
END_TEST

START_TEST(test_stem_word_cache)
{
    xsh_stem_stats_t st0, st1;
    char *a, *b;

    ck_assert_int_eq(xsh_stem_stats(stem_uk, &st0), XSH_OK);
    a = stem_of(stem_uk, "домовленостями");
    b = stem_of(stem_uk, "домовленостями");
    ck_assert_str_eq(a, b);
    ck_assert_int_eq(xsh_stem_stats(stem_uk, &st1), XSH_OK);
    ck_assert_uint_eq(st1.words - st0.words, 2);
    ck_assert_uint_eq(st1.cache_hits - st0.cache_hits, 1);
    ck_assert_uint_eq(st1.dict_calls - st0.dict_calls, 1);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_stem_word_invalid)
{
    char *out = (char *)"x";
    ck_assert_int_eq(xsh_stem_word(NULL, "a", 1, &out), XSH_INVALID_ARG);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(xsh_stem_word(stem_uk, "a", 1, NULL), XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_stem_errmsg(stem_uk), "NULL argument");
    ck_assert_int_eq(xsh_stem_word(stem_uk, NULL, 1, &out), XSH_INVALID_ARG);
}
END_TEST

/* A dictionary that knows one word: every other goes to the fallback. */
#define TINY_DICT "tests/fixtures/hunspell"

typedef struct fallback_case {
    const char *word;
    const char *stripped;
} fallback_case_t;

static const fallback_case_t fallback_cases[] = {
    { "гарантії", "гарант" }, { "гарантіями", "гарант" },
    { "гарантія", "гарант" }, { "безпеки", "безпек" },
    { "безпекою", "безпек" }, { "залужного", "залужн" },
    { "залужний", "залужн" }, { "книга", "книга" },   /* in the dict */
    { "мир", "мир" },                   /* too short to strip */
};

START_TEST(test_stem_new_fallback)
{
    const fallback_case_t *c = &fallback_cases[_i];
    xsh_stem_opts_t o = { .dict_dir = TINY_DICT };
    xsh_stem_t *s = NULL;
    char *out;

    ck_assert_int_eq(xsh_stem_new("uk", &o, &s, NULL), XSH_OK);
    out = stem_of(s, c->word);
    ck_assert_msg(strcmp(out, c->stripped) == 0, "%s: got '%s'", c->word,
                  out);
    free(out);
    xsh_stem_free(s);

    /* Without the suffix list a word the dictionary lacks stays whole. */
    o.no_suffix_fallback = true;
    ck_assert_int_eq(xsh_stem_new("uk", &o, &s, NULL), XSH_OK);
    out = stem_of(s, c->word);
    if (strcmp(c->word, "книга") != 0)
        ck_assert_str_eq(out, c->word);
    free(out);
    xsh_stem_free(s);
}
END_TEST

START_TEST(test_stem_new_errors)
{
    xsh_stem_opts_t o = { .dict_dir = "/nonexistent/hunspell" };
    xsh_stem_t *s = (xsh_stem_t *)1;
    char *err = NULL;

    ck_assert_int_eq(xsh_stem_new("uk", &o, &s, &err), XSH_NOT_FOUND);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(err, "cannot read Hunspell dictionary "
                     "'/nonexistent/hunspell/uk_UA.aff': No such file or "
                     "directory");
    free(err);

    o = (xsh_stem_opts_t){ .cyrillic = "be" };
    ck_assert_int_eq(xsh_stem_new("en", &o, &s, &err), XSH_INVALID_ARG);
    ck_assert_str_eq(err, "unknown Cyrillic language 'be' (expected uk or "
                     "ru)");
    free(err);

    ck_assert_int_eq(xsh_stem_new("klingon", NULL, &s, &err),
                     XSH_INVALID_ARG);
    ck_assert_str_eq(err, "unknown language 'klingon'");
    free(err);

    ck_assert_int_eq(xsh_stem_new(NULL, NULL, &s, &err), XSH_INVALID_ARG);
    ck_assert_str_eq(err, "NULL argument");
    free(err);

    /* A code Xapian has no stemmer for: Latin words go by English. */
    ck_assert_int_eq(xsh_stem_new("pl", NULL, &s, &err), XSH_OK);
    ck_assert_ptr_null(err);
    char *out = stem_of(s, "guarantees");
    ck_assert_str_eq(out, "guarante");
    free(out);
    xsh_stem_free(s);

    ck_assert_int_eq(xsh_stem_new("none", NULL, &s, NULL), XSH_OK);
    out = stem_of(s, "Гарантії");
    ck_assert_str_eq(out, "гарантії");
    free(out);
    xsh_stem_free(s);
    xsh_stem_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------- translit */

static translit_t *tr;

static void
translit_setup(void)
{
    char err[200];
    tr = translit_new(err, sizeof err);
    ck_assert_msg(tr != NULL, "%s", err);
}

static void
translit_teardown(void)
{
    translit_free(tr);
    tr = NULL;
}

typedef struct latin_case {
    const char *word;
    const char *latin;
} latin_case_t;

static const latin_case_t latin_cases[] = {
    /* The 2010 system. */
    { "Київ", "kyiv" }, { "Харків", "kharkiv" },
    { "Запоріжжя", "zaporizhzhia" }, { "Миколаїв", "mykolaiv" },
    { "Згорани", "zghorany" }, { "Розгін", "rozghin" },
    { "Єнакієве", "yenakiieve" }, { "Їжакевич", "yizhakevych" },
    { "Йосипівка", "yosypivka" }, { "Стрий", "stryi" },
    { "Юрій", "yurii" }, { "Ялта", "yalta" }, { "Яготин", "yahotyn" },
    { "Ґорґани", "gorgany" }, { "Щербухи", "shcherbukhy" },
    { "Біла Церква", "bila tserkva" }, { "Знам'янка", "znamianka" },
    { "Подвір’я", "podviria" }, { "Львів", "lviv" },
    /* Russian letters: BGN/PCGN. */
    { "Ёлкин", "yelkin" }, { "Объявление", "ob\"yavleniye" },
    { "Солнышко", "solnyshko" },
    /* Latin passes, without accents. */
    { "Zelenskyy", "zelenskyy" }, { "Žukov", "zukov" },
};

START_TEST(test_translit_latin_table)
{
    const latin_case_t *c = &latin_cases[_i];
    char out[128];
    int n = translit_latin(tr, c->word, strlen(c->word), out, sizeof out);
    ck_assert_int_eq(n, (int)strlen(c->latin));
    ck_assert_str_eq(out, c->latin);
}
END_TEST

/* Spellings of one name: each row's skeletons are equal, and differ from
 * the next row's. */
static const char *const same_name[][6] = {
    { "Zelensky", "Zelenskyy", "Zelenskiy", "Зеленський", "Зеленский",
      "Zelenskyi" },
    { "Kyiv", "Київ", "KYIV", NULL },
    { "Kharkiv", "Харків", NULL },
    { "Shoigu", "Шойгу", "Shoygu", NULL },
    { "Zaporizhzhia", "Запоріжжя", "Zaporizhzhya", "Zaporizhia", NULL },
    { "Zaluzhnyi", "Залужний", "Zaluzhny", "Zaluzhniy", NULL },
    { "Mykolaiv", "Миколаїв", NULL },
    { "Yurii", "Юрій", "Yuriy", "Iurii", "Jurij", NULL },
};

START_TEST(test_translit_skeleton_names)
{
    const char *const *row = same_name[_i];
    char first[128], sk[128], next[128];

    ck_assert_int_gt(translit_skeleton(tr, row[0], strlen(row[0]), first,
                                       sizeof first), 0);
    for (int j = 1; j < 6 && row[j]; j++) {
        translit_skeleton(tr, row[j], strlen(row[j]), sk, sizeof sk);
        ck_assert_msg(strcmp(sk, first) == 0, "%s: '%s' but %s: '%s'",
                      row[0], first, row[j], sk);
    }
    const char *other = same_name[(_i + 1) % 8][0];
    translit_skeleton(tr, other, strlen(other), next, sizeof next);
    ck_assert_str_ne(first, next);
}
END_TEST

/* The chain the indexer and the searcher will run: an inflected Cyrillic
 * word, its lemma from the Ukrainian stemmer, the lemma's skeleton, equal
 * to the skeleton of the Latin spelling. */
static const char *const chain[][2] = {
    { "Зеленського", "Zelensky" }, { "Зеленському", "Zelenskyy" },
    { "Києва", "Kyiv" }, { "Києві", "Kyiv" }, { "Харкова", "Kharkiv" },
    { "Запоріжжі", "Zaporizhzhia" }, { "Залужного", "Zaluzhnyi" },
    { "Миколаєві", "Mykolaiv" },
};

START_TEST(test_translit_skeleton_lemma)
{
    char *lemma = stem_of(stem_uk, chain[_i][0]);
    char a[128], b[128];
    translit_skeleton(tr, lemma, strlen(lemma), a, sizeof a);
    translit_skeleton(tr, chain[_i][1], strlen(chain[_i][1]), b, sizeof b);
    ck_assert_msg(strcmp(a, b) == 0, "%s -> %s -> '%s', %s -> '%s'",
                  chain[_i][0], lemma, a, chain[_i][1], b);
    free(lemma);
}
END_TEST

/* Russian goes by Snowball, which gives stems, not lemmas: the skeleton's
 * dropped final vowels are what let them meet the Latin spelling. */
static const char *const ru_chain[][2] = {
    { "Зеленского", "Zelensky" }, { "Шойгу", "Shoigu" },
    { "Залужного", "Zaluzhny" },
};

START_TEST(test_translit_skeleton_ru_stem)
{
    char *st = stem_of(stem_ru, ru_chain[_i][0]);
    char a[128], b[128];
    translit_skeleton(tr, st, strlen(st), a, sizeof a);
    translit_skeleton(tr, ru_chain[_i][1], strlen(ru_chain[_i][1]), b,
                      sizeof b);
    ck_assert_msg(strcmp(a, b) == 0, "%s -> %s -> '%s', %s -> '%s'",
                  ru_chain[_i][0], st, a, ru_chain[_i][1], b);
    free(st);
}
END_TEST

START_TEST(test_translit_fold)
{
    char out[32];
    ck_assert_int_eq(translit_fold("zelenskyy", 0, out, sizeof out), 7);
    ck_assert_str_eq(out, "zelensk");
    ck_assert_int_eq(translit_fold("zelenskyy", TRANSLIT_FOLD_KEEP_ENDING,
                                   out, sizeof out), 8);
    ck_assert_str_eq(out, "zelenski");
    /* Three letters stay. */
    ck_assert_int_eq(translit_fold("kyiv", 0, out, sizeof out), 3);
    ck_assert_int_eq(translit_fold("aia", 0, out, sizeof out), 3);
    ck_assert_int_eq(translit_fold("-'.", 0, out, sizeof out), 0);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(translit_fold("zelenskyy", 0, out, 7),
                     TRANSLIT_ERR_SPACE);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(translit_latin(tr, "Запоріжжя", strlen("Запоріжжя"),
                                    out, 8), TRANSLIT_ERR_SPACE);
    ck_assert_int_eq(translit_latin(tr, "\xff", 1, out, sizeof out),
                     TRANSLIT_ERR_ICU);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Wiring: language codes, switching a stemmer, the search's hooks     */

static const struct { const char *in, *out; } codes[] = {
    { "uk", "uk" }, { "UK", "uk" }, { "uk-UA", "uk" }, { "uk_UA", "uk" },
    { " ukr", "uk" }, { "Ukrainian", "uk" }, { "ua", "uk" },
    { "ru-RU", "ru" }, { "rus", "ru" }, { "Russian", "ru" },
    { "en-GB", "en" }, { "english", "en" }, { "fr", "fr" },
    { "zh-Hant", "zh-hant" }, { "deu", "deu" },
    { "", "" }, { "u k", "" }, { "x", "" }, { "klingon", "" },
    { "e1", "" },
};

START_TEST(test_langcode_normalise)
{
    char out[LANGCODE_LEN];
    size_t n = langcode_normalise(codes[_i].in, out);
    ck_assert_str_eq(out, codes[_i].out);
    ck_assert_uint_eq(n, strlen(codes[_i].out));
}
END_TEST

START_TEST(test_stem_set_lang)
{
    xsh_stem_t *s = NULL;
    char *err = NULL, *out;

    ck_assert_int_eq(xsh_stem_new("uk", NULL, &s, &err), XSH_OK);
    /* No telling letter: the document's Cyrillic language decides. */
    ck_assert_int_eq(xsh_stem_set_lang(s, "ru"), XSH_OK);
    out = stem_of(s, "безопасности");
    ck_assert_str_eq(out, "безопасн");
    free(out);
    ck_assert_ptr_nonnull(strstr(xsh_stem_describe(s), "(ru:"));
    ck_assert_int_eq(xsh_stem_set_lang(s, "uk"), XSH_OK);
    out = stem_of(s, "гарантіями");
    ck_assert_str_eq(out, "гарантія");
    free(out);

    ck_assert_int_eq(xsh_stem_set_lang(s, NULL), XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_stem_errmsg(s), "NULL argument");
    ck_assert_int_eq(xsh_stem_set_lang(s, "klingon"), XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_stem_errmsg(s), "unknown language 'klingon'");
    ck_assert_int_eq(xsh_stem_set_lang(NULL, "uk"), XSH_INVALID_ARG);
    xsh_stem_free(s);

    ck_assert_int_eq(xsh_stem_new("none", NULL, &s, &err), XSH_OK);
    ck_assert_int_eq(xsh_stem_set_lang(s, "uk"), XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_stem_errmsg(s), "a stemmer made for 'none' keeps it");
    xsh_stem_free(s);

    /* The Latin stemmer of uk, ru and unknown documents. */
    xsh_stem_opts_t o = { .latin = "french" };
    ck_assert_int_eq(xsh_stem_new("", &o, &s, &err), XSH_OK);
    ck_assert_ptr_nonnull(strstr(xsh_stem_describe(s), "(uk:"));
    ck_assert_ptr_nonnull(strstr(xsh_stem_describe(s), "french"));
    xsh_stem_free(s);
    o.latin = "klingon";
    ck_assert_int_eq(xsh_stem_new("uk", &o, &s, &err), XSH_INVALID_ARG);
    ck_assert_str_eq(err, "unknown language 'klingon'");
    free(err);
}
END_TEST

START_TEST(test_termgen_set_stem)
{
    xsh_termgen_t *tg = NULL;
    xsh_stem_t *s = NULL;
    xsh_doc_t *doc = NULL;
    char *err = NULL;

    ck_assert_int_eq(xsh_termgen_new("english", &tg, &err), XSH_OK);
    ck_assert_int_eq(xsh_stem_new("uk", NULL, &s, &err), XSH_OK);
    ck_assert_int_eq(xsh_termgen_set_stem(NULL, s), XSH_INVALID_ARG);
    ck_assert_int_eq(xsh_termgen_set_stem(tg, s), XSH_OK);
    ck_assert_int_eq(xsh_termgen_set_stem(tg, NULL), XSH_OK);
    ck_assert_int_eq(xsh_doc_new(&doc, &err), XSH_OK);
    ck_assert_int_eq(xsh_doc_add_term(doc, NULL, 1), XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_doc_errmsg(doc), "NULL term");
    ck_assert_int_eq(xsh_doc_add_term(doc, "", 1), XSH_INVALID_ARG);
    ck_assert_str_eq(xsh_doc_errmsg(doc), "empty term");
    ck_assert_int_eq(xsh_doc_add_term(doc, "XCzelensk", 2), XSH_OK);
    xsh_doc_free(doc);
    xsh_stem_free(s);
    xsh_termgen_free(tg);
}
END_TEST

Suite *
lang_suite(void)
{
    Suite *s = suite_create("lang");
    TCase *tc;

    tc = tcase_create("lang_detect");
    tcase_add_loop_test(tc, test_lang_detect_table, 0,
                        sizeof detect_cases / sizeof *detect_cases);
    tcase_add_test(tc, test_lang_detect_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("stem_word");
    tcase_add_unchecked_fixture(tc, stems_setup, stems_teardown);
    tcase_add_loop_test(tc, test_stem_word_table, 0,
                        sizeof stem_cases / sizeof *stem_cases);
    tcase_add_test(tc, test_stem_word_cache);
    tcase_add_test(tc, test_stem_word_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("stem_new");
    tcase_add_loop_test(tc, test_stem_new_fallback, 0,
                        sizeof fallback_cases / sizeof *fallback_cases);
    tcase_add_test(tc, test_stem_new_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("wiring");
    tcase_add_loop_test(tc, test_langcode_normalise, 0,
                        sizeof codes / sizeof codes[0]);
    tcase_add_test(tc, test_stem_set_lang);
    tcase_add_test(tc, test_termgen_set_stem);
    suite_add_tcase(s, tc);

    tc = tcase_create("translit");
    tcase_add_unchecked_fixture(tc, translit_setup, translit_teardown);
    tcase_add_unchecked_fixture(tc, stems_setup, stems_teardown);
    tcase_add_loop_test(tc, test_translit_latin_table, 0,
                        sizeof latin_cases / sizeof *latin_cases);
    tcase_add_loop_test(tc, test_translit_skeleton_names, 0,
                        sizeof same_name / sizeof *same_name);
    tcase_add_loop_test(tc, test_translit_skeleton_lemma, 0,
                        sizeof chain / sizeof *chain);
    tcase_add_loop_test(tc, test_translit_skeleton_ru_stem, 0,
                        sizeof ru_chain / sizeof *ru_chain);
    tcase_add_test(tc, test_translit_fold);
    suite_add_tcase(s, tc);
    return s;
}
