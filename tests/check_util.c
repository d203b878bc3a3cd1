/* check_util.c - unit tests of util/, the base every module uses
 *
 * The never-NULL string buffer, the string vector, UTF-8 cutting,
 * checking and repair, ASCII classification, and the safe YAML reader's
 * refusals.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tests/suites.h"
#include "util/ascii.h"
#include "util/sbuf.h"
#include "util/strv.h"
#include "util/utf8.h"
#include "util/yamlsafe.h"

START_TEST(test_sbuf_init_never_null)
{
    sbuf_t b = SBUF_INIT;
    char *s;

    ck_assert_ptr_nonnull(b.p);
    ck_assert_str_eq(b.p, "");
    sbuf_setlen(&b, 0);
    ck_assert_str_eq(b.p, "");
    s = sbuf_detach(&b);
    ck_assert_str_eq(s, "");
    free(s);
    ck_assert_int_eq(sbuf_adds(&b, "ab"), 0);
    ck_assert_int_eq(sbuf_addc(&b, 'c'), 0);
    ck_assert_str_eq(b.p, "abc");
    sbuf_setlen(&b, 1);
    ck_assert_str_eq(b.p, "a");
    sbuf_release(&b);
    ck_assert_ptr_nonnull(b.p);
    ck_assert_uint_eq(b.len, 0);
    sbuf_release(NULL);
}
END_TEST

START_TEST(test_sbuf_add_grows)
{
    sbuf_t b = SBUF_INIT;
    size_t i;

    for (i = 0; i < 1000; i++)
        ck_assert_int_eq(sbuf_adds(&b, "abc"), 0);
    ck_assert_int_eq(sbuf_addc(&b, 'x'), 0);
    ck_assert_uint_eq(b.len, 3001);
    ck_assert_uint_ge(b.cap, b.len + 1);
    ck_assert_int_eq(b.p[b.len], '\0');
    ck_assert_int_eq(b.p[3000], 'x');
    sbuf_release(&b);
    ck_assert_str_eq(b.p, "");       /* never NULL, even released */
    ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_strv_push_unique)
{
    strv_t sv = STRV_INIT;

    ck_assert_int_eq(strv_push(&sv, "a"), 0);
    ck_assert_int_eq(strv_push_unique(&sv, "a"), 0);
    ck_assert_int_eq(strv_push_unique(&sv, "b"), 0);
    ck_assert_uint_eq(sv.n, 2);
    ck_assert_str_eq(sv.v[1], "b");
    ck_assert_ptr_null(sv.v[2]);
    ck_assert(strv_has(&sv, "a"));
    ck_assert(!strv_has(&sv, "c"));
    ck_assert_int_eq(strv_push_owned(&sv, NULL), -1);
    strv_release(&sv);
    ck_assert_ptr_null(sv.v);
    ck_assert_uint_eq(sv.n, 0);
}
END_TEST

START_TEST(test_utf8_cut_boundary)
{
    /* "aé" is 3 bytes: a cut at 2 must not split the é. */
    ck_assert_uint_eq(utf8_cut("a\xc3\xa9", 3, 2), 1);
    ck_assert_uint_eq(utf8_cut("a\xc3\xa9", 3, 3), 3);
    ck_assert_uint_eq(utf8_cut("abc", 3, 2), 2);
}
END_TEST

START_TEST(test_utf8_seq_invalid)
{
    uint32_t cp = 0;

    ck_assert_uint_eq(utf8_seq("\xc3\xa9", 2, &cp), 2);
    ck_assert_uint_eq(cp, 0xE9);
    ck_assert_uint_eq(utf8_seq("\xc3", 1, &cp), 0);            /* cut */
    ck_assert_uint_eq(utf8_seq("\xc0\xaf", 2, &cp), 0);        /* overlong */
    ck_assert_uint_eq(utf8_seq("\xed\xa0\x80", 3, &cp), 0);    /* surrogate */
    ck_assert_uint_eq(utf8_seq("\xf4\x90\x80\x80", 4, &cp), 0);
    ck_assert_uint_eq(utf8_seq("\xf0\x9f\x98\x80", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1F600);
}
END_TEST

START_TEST(test_utf8_repair_replaces_or_drops)
{
    sbuf_t b = SBUF_INIT;
    char u[4];

    ck_assert_uint_eq(utf8_repair("a\xff" "b\xc3", 4, "?", &b), 2);
    ck_assert_str_eq(b.p, "a?b?");
    sbuf_release(&b);
    ck_assert_uint_eq(utf8_repair("a\xff" "b", 3, NULL, &b), 1);
    ck_assert_str_eq(b.p, "ab");
    sbuf_release(&b);
    ck_assert_uint_eq(utf8_encode(0x20AC, u), 3);
    ck_assert_int_eq(memcmp(u, "\xe2\x82\xac", 3), 0);
}
END_TEST

START_TEST(test_ascii_classes)
{
    ck_assert(ascii_is_space('\v'));
    ck_assert(!ascii_is_space(0xA0));
    ck_assert(ascii_is_alpha('Q'));
    ck_assert(!ascii_is_alpha(0xE9));
    ck_assert(ascii_ieq("MiB", "mib"));
    ck_assert(!ascii_ieq("mi", "mib"));
    ck_assert(ascii_is_blank(" \t\r\n", 4));
    ck_assert(!ascii_is_blank(" x", 2));
}
END_TEST

START_TEST(test_ascii_trim)
{
    const char *text = " \t a b\f\n", *s = text, *end = text + strlen(text);

    ascii_trim(&s, &end);
    ck_assert_int_eq((int)(s - text), 3);
    ck_assert_int_eq((int)(end - s), 3);
    s = text;
    end = text + 2;             /* only spaces: empty, not crossed */
    ascii_trim(&s, &end);
    ck_assert_ptr_eq(s, end);
}
END_TEST

/* Run the reader over S; the status that stopped it. */
static yamlsafe_status_t
yaml_run(const char *s, size_t max_depth, yamlsafe_event_t *ev)
{
    yamlsafe_t *y = yamlsafe_new(s, strlen(s), max_depth, true);
    yamlsafe_status_t st;

    ck_assert_ptr_nonnull(y);
    do
        st = yamlsafe_next(y, ev);
    while (st == YAMLSAFE_OK && ev->type != YAMLSAFE_STREAM_END);
    yamlsafe_free(y);
    return st;
}

START_TEST(test_yamlsafe_refusals)
{
    yamlsafe_event_t ev;

    ck_assert_int_eq(yaml_run("a: [1, {b: 2}]\n", 3, &ev), YAMLSAFE_OK);
    ck_assert_int_eq(yaml_run("a: [1, {b: 2}]\n", 2, &ev), YAMLSAFE_DEEP);
    ck_assert_uint_eq(ev.mark.column, 7);
    ck_assert_int_eq(yaml_run("a: &x 1\nb: *x\n", 3, &ev), YAMLSAFE_ANCHOR);
    ck_assert_uint_eq(ev.mark.line, 0);
    ck_assert_int_eq(yaml_run("a: [1\n", 3, &ev), YAMLSAFE_SYNTAX);
}
END_TEST

Suite *
util_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("util");

    tcase_add_test(tc, test_sbuf_init_never_null);
    tcase_add_test(tc, test_sbuf_add_grows);
    tcase_add_test(tc, test_strv_push_unique);
    tcase_add_test(tc, test_utf8_cut_boundary);
    tcase_add_test(tc, test_utf8_seq_invalid);
    tcase_add_test(tc, test_utf8_repair_replaces_or_drops);
    tcase_add_test(tc, test_ascii_classes);
    tcase_add_test(tc, test_ascii_trim);
    tcase_add_test(tc, test_yamlsafe_refusals);
    suite_add_tcase(s, tc);
    return s;
}
