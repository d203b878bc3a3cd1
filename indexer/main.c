/* main.c - dossier-index: the command line of the indexer
 *
 * Parses options, loads the config, installs the signal handlers that let
 * a run commit and stop, runs index_run() and prints the summary line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "util/diag.h"
#include "indexer/index.h"
#include "indexer/roots.h"
#include "shim/xsh.h"

static void
usage(FILE *out)
{
    fputs("usage: dossier-index [-d DB] [-c CONFIG] [-j N] [--full] "
          "[--no-compact] [--no-pack]\n"
          "                     [-q|-v] [--no-progress] [DIR|FILE ...]\n"
          "       dossier-index [-d DB] [-q|-v] --forget ROOT ...\n"
          "\n"
          "Index the articles under each DIR (or FILE) into the database;\n"
          "with none, reindex the roots recorded in the database.\n"
          "\n"
          "  -d, --database DB   database directory (default: config, "
          "else ./dossier.db)\n"
          "  -c, --config FILE   configuration file\n"
          "  -j, --jobs N        worker threads (default: config, else "
          "cores)\n"
          "      --full          reread every file, changed or not\n"
          "      --no-compact    do not compact after a full build (nor "
          "pack)\n"
          "      --no-pack       do not pack the document data after a "
          "full build\n"
          "  -q, --quiet         print only problems\n"
          "  -v, --verbose       name each file added, updated or removed\n"
          "      --no-progress   no progress bar\n"
          "      --forget ROOT   drop a recorded root and its documents\n"
          "  -h, --help          show this help\n"
          "  -V, --version       show the version\n"
          "\n"
          "Exit status: 0 success, 1 some files skipped (named on stderr),\n"
          "2 fatal error, 130 interrupted (work so far committed).\n",
          out);
}

static void
on_signal(int sig)
{
    index_stop_signal = sig;
}

static int
parse_jobs(const char *s, unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0 || v > 1024)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* N with thousands separators ("18,111"), in BUF (at least 27 bytes). */
static const char *
thousands(unsigned long n, char *buf)
{
    char tmp[24];
    int len = snprintf(tmp, sizeof tmp, "%lu", n), k = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = tmp[i];
    }
    buf[k] = '\0';
    return buf;
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "database", required_argument, NULL, 'd' },
        { "config", required_argument, NULL, 'c' },
        { "jobs", required_argument, NULL, 'j' },
        { "full", no_argument, NULL, 'F' },
        { "no-compact", no_argument, NULL, 'C' },
        { "no-pack", no_argument, NULL, 'K' },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "no-progress", no_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "forget", required_argument, NULL, 'G' },
        { NULL, 0, NULL, 0 }
    };
    const char *db = NULL, *cfg_path = NULL;
    index_opts_t opts = { .verbosity = INDEX_NORMAL, .progress = true };
    bool jobs_set = false;
    strv_t forget = STRV_INIT;
    config_t cfg;
    char err[1024];
    int c;

    diag_set_prog("dossier-index");
    while ((c = getopt_long(argc, argv, "d:c:j:qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'c':
            cfg_path = optarg;
            break;
        case 'j':
            if (parse_jobs(optarg, &opts.jobs) < 0) {
                diag_error("--jobs: invalid number '%s' (expected 0 to "
                           "1024); try 'dossier-index --help'", optarg);
                return INDEX_EXIT_FATAL;
            }
            jobs_set = true;
            break;
        case 'F':
            opts.full = true;
            break;
        case 'C':
            opts.no_compact = true;
            break;
        case 'K':
            opts.no_pack = true;
            break;
        case 'q':
            opts.verbosity = INDEX_QUIET;
            break;
        case 'v':
            opts.verbosity = INDEX_VERBOSE;
            break;
        case 'P':
            opts.progress = false;
            break;
        case 'G':
            if (strv_push(&forget, optarg) < 0) {
                diag_error("out of memory");
                return INDEX_EXIT_FATAL;
            }
            break;
        case 'h':
            usage(stdout);
            return INDEX_EXIT_OK;
        case 'V':
            printf("dossier-index %s (Xapian %s)\n", DOSSIER_VERSION,
                   xsh_version());
            return INDEX_EXIT_OK;
        default:
            fputs("try 'dossier-index --help'\n", stderr);
            strv_release(&forget);
            return INDEX_EXIT_FATAL;
        }
    }
    if (forget.n && optind < argc) {
        diag_error("--forget: takes no DIR or FILE (forgetting and "
                   "indexing are separate runs); try 'dossier-index "
                   "--help'");
        strv_release(&forget);
        return INDEX_EXIT_FATAL;
    }

    if (config_load_default(&cfg, cfg_path, err, sizeof err) < 0) {
        diag_error("%s", err);
        config_release(&cfg);
        return INDEX_EXIT_FATAL;
    }
    opts.db_path = db ? db : cfg.database ? cfg.database : "dossier.db";
    opts.roots = (const char *const *)(argv + optind);
    opts.n_roots = (size_t)(argc - optind);
    opts.forget = (const char *const *)forget.v;
    opts.n_forget = forget.n;
    if (!jobs_set)
        opts.jobs = cfg.jobs;
    if (!isatty(STDERR_FILENO))
        opts.progress = false;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    index_stats_t stats;
    int rc;
    if (opts.n_forget) {
        rc = roots_forget(&opts);
    } else if ((rc = index_run(&cfg, &opts, &stats)) != INDEX_EXIT_FATAL &&
               opts.verbosity != INDEX_QUIET) {
        /* Documents, not files: an export holds thousands. */
        unsigned long docs = stats.added + stats.updated;
        char a[32], f[32], u[32], rm[32], un[32], sk[32], rate[32];
        char unsupported[64] = "";
        /* Files passed over are counted, never silent; the count goes
         * last, before " in ", so the counts before it keep their
         * place. */
        if (stats.unsupported) {
            char us[32];
            snprintf(unsupported, sizeof unsupported, ", %s unsupported",
                     thousands(stats.unsupported, us));
        }
        printf("added %s document%s from %s file%s, updated %s, "
               "removed %s, unchanged %s, skipped %s%s in %.1f s "
               "(%s docs/s)\n",
               thousands(stats.added, a), stats.added == 1 ? "" : "s",
               thousands(stats.files, f), stats.files == 1 ? "" : "s",
               thousands(stats.updated, u), thousands(stats.removed, rm),
               thousands(stats.unchanged, un), thousands(stats.skipped, sk),
               unsupported, stats.seconds,
               thousands(stats.seconds > 0 ?
                   (unsigned long)((double)docs / stats.seconds + 0.5) : 0,
                   rate));
    }
    config_release(&cfg);
    strv_release(&forget);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        diag_error("write error on standard output");
        return INDEX_EXIT_FATAL;
    }
    return rc;
}
