// Subscriber for the moq smoke test, built against libmoq (the published C
// bindings, crate `libmoq`).
//
//   subscribe subscribe --url U --broadcast B --timeout T [--transport quic|websocket|any]
//
// Prints `received N bytes from B` on the first non-empty video frame and
// exits 0; exits 1 on timeout or on a terminal libmoq error (its message
// first). The URL may come from $MOQ_CONNECT instead of --url, so a token in
// its query never has to sit in argv.
//
// libmoq is handles + callbacks that fire on its own runtime thread. Each
// callback only records what happened; main() owns every decision, so there
// is one place that prints and exits.

// setenv, isatty, clock_gettime and pthread_cond_timedwait under a strict -std=c11.
#define _POSIX_C_SOURCE 200809L

#include <moq.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// Our own code for "closed cleanly before a frame": libmoq reports that as 0.
#define ENDED (-1000)

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int32_t connected;   // latest connection epoch (> 0) from on_status
    int32_t broadcast;   // handle from moq_origin_announced_broadcast
    int32_t catalog;     // newest catalog snapshot not yet looked at by main
    size_t frame_bytes;  // size of the first non-empty frame
    int32_t failed;      // first terminal error code (< 0)
    char error[512];     // moq_error() read inside the failing callback (it is thread-local)
    const char *stage;   // what we are waiting for, for the timeout message
} ctx_t;

static ctx_t ctx = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, "", "connection"};

// Record a terminal error from a callback. moq_error() is per thread, so it
// must be read here on libmoq's thread, not later in main().
static void fail(const char *what, int32_t code) {
    const char *msg = code == ENDED ? NULL : moq_error();
    pthread_mutex_lock(&ctx.mu);
    if (ctx.failed == 0) {
        ctx.failed = code;
        if (msg) snprintf(ctx.error, sizeof ctx.error, "%s failed (%d): %s", what, code, msg);
        else snprintf(ctx.error, sizeof ctx.error, "%s", what);
    }
    pthread_cond_broadcast(&ctx.cv);
    pthread_mutex_unlock(&ctx.mu);
}

static void on_status(void *ud, int32_t code) {
    (void)ud;
    if (code < 0) { fail("session", code); return; }
    pthread_mutex_lock(&ctx.mu);
    if (code > 0) ctx.connected = code;
    pthread_cond_broadcast(&ctx.cv);
    pthread_mutex_unlock(&ctx.mu);
}

static void on_broadcast(void *ud, int32_t code) {
    (void)ud;
    if (code < 0) { fail("waiting for the announcement", code); return; }
    if (code == 0) return; // the wait is over; the handle (if any) already arrived
    pthread_mutex_lock(&ctx.mu);
    if (ctx.broadcast == 0) ctx.broadcast = code;
    else moq_consume_close((uint32_t)code);
    pthread_cond_broadcast(&ctx.cv);
    pthread_mutex_unlock(&ctx.mu);
}

static void on_catalog(void *ud, int32_t code) {
    (void)ud;
    if (code < 0) { fail("catalog", code); return; }
    if (code == 0) { fail("catalog (ended before any frame)", ENDED); return; }
    pthread_mutex_lock(&ctx.mu);
    // Only the newest snapshot matters: a lazy publisher adds video in a later update.
    if (ctx.catalog > 0) moq_consume_catalog_free((uint32_t)ctx.catalog);
    ctx.catalog = code;
    pthread_cond_broadcast(&ctx.cv);
    pthread_mutex_unlock(&ctx.mu);
}

static void on_frame(void *ud, int32_t code) {
    (void)ud;
    if (code < 0) { fail("video track", code); return; }
    if (code == 0) { fail("video track (ended before any frame)", ENDED); return; }
    moq_frame frame;
    memset(&frame, 0, sizeof frame);
    if (moq_consume_frame((uint32_t)code, &frame) == 0 && frame.payload_size > 0) {
        pthread_mutex_lock(&ctx.mu);
        if (ctx.frame_bytes == 0) ctx.frame_bytes = frame.payload_size;
        pthread_cond_broadcast(&ctx.cv);
        pthread_mutex_unlock(&ctx.mu);
    }
    moq_consume_frame_free((uint32_t)code);
}

// libmoq has no "which transport" call. Its stats say it indirectly: QUIC
// counts datagrams, while the WebSocket fallback (qmux) has no packets to count
// and reports packets_sent as not valid.
static const char *transport_of(int32_t session) {
    moq_connection_stats stats;
    memset(&stats, 0, sizeof stats);
    if (moq_session_stats((uint32_t)session, &stats) != 0) return NULL;
    return stats.packets_sent_valid ? "quic" : "websocket";
}

// _exit, not exit: libmoq's runtime thread keeps running, and tearing the
// process down under it (exit handlers, thread-local destructors) can abort.
_Noreturn static void finish(int code) {
    fflush(stdout);
    fflush(stderr);
    _exit(code);
}

_Noreturn static void die(const char *call) {
    fprintf(stderr, "error: %s: %s\n", call, moq_error());
    finish(1);
}

static void usage(void) {
    fprintf(stderr, "usage: subscribe subscribe --url U --broadcast B --timeout SECONDS [--transport quic|websocket|any]\n"
                    "       (--url may be omitted when MOQ_CONNECT is set)\n");
}

int main(int argc, char **argv) {
    const char *url = getenv("MOQ_CONNECT");
    const char *name = NULL, *transport = "any";
    double timeout_s = 30;
    int i = 1;
    if (i < argc && strcmp(argv[i], "subscribe") == 0) i++;
    for (; i < argc; i++) {
        const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val) { usage(); return 2; }
        if (!strcmp(arg, "--url")) url = val;
        else if (!strcmp(arg, "--broadcast")) name = val;
        else if (!strcmp(arg, "--timeout")) timeout_s = atof(val);
        else if (!strcmp(arg, "--transport")) transport = val;
        else { fprintf(stderr, "unknown argument: %s\n", arg); usage(); return 2; }
        i++;
    }
    if (!url || !name || timeout_s <= 0 ||
        (strcmp(transport, "quic") && strcmp(transport, "websocket") && strcmp(transport, "any"))) {
        usage();
        return 2;
    }

    // libmoq logs to stderr at info unless RUST_LOG says otherwise, with ANSI
    // colours even into a file unless NO_COLOR is set.
    if (!isatty(2)) setenv("NO_COLOR", "1", 0);
    moq_log_level("", 0);

    // ws:// names the WebSocket transport outright; http:// and https:// race
    // QUIC against the WebSocket fallback unless the fallback is switched off.
    char dial[4096];
    moq_client_config config = moq_client_defaults();
    if (!strcmp(transport, "websocket") && !strncmp(url, "http", 4)) {
        snprintf(dial, sizeof dial, "ws%s", url + 4);
    } else {
        snprintf(dial, sizeof dial, "%s", url);
    }
    if (!strcmp(transport, "quic")) {
        config.websocket_enabled = false;
        config.has_websocket_enabled = true;
    }
    // The harness gives QUIC a head start in the race (SMOKE_WEBSOCKET_DELAY_MS), so
    // a WebSocket session means QUIC could not get through, not that it was slow.
    const char *head_start = getenv("SMOKE_WEBSOCKET_DELAY_MS");
    if (!strcmp(transport, "any") && head_start && *head_start) {
        config.websocket_delay_us = strtoull(head_start, NULL, 10) * 1000;
        config.has_websocket_delay = true;
    }

    int32_t origin = moq_origin_create();
    if (origin <= 0) {
        die("moq_origin_create");
    }
    int32_t session = moq_session_connect(dial, strlen(dial), &config, 0, (uint32_t)origin, on_status, NULL);
    if (session <= 0) {
        die("moq_session_connect");
    }
    // Asking before the announcement arrives is what avoids racing the relay's gossip.
    int32_t wait = moq_origin_announced_broadcast((uint32_t)origin, name, strlen(name), on_broadcast, NULL);
    if (wait <= 0) {
        die("moq_origin_announced_broadcast");
    }

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)timeout_s;
    deadline.tv_nsec += (long)((timeout_s - (double)(time_t)timeout_s) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }

    int32_t seen_epoch = 0, catalog_asked = 0, video = 0;
    pthread_mutex_lock(&ctx.mu);
    for (;;) {
        if (ctx.frame_bytes > 0 || ctx.failed) break;

        if (ctx.connected > seen_epoch) {
            seen_epoch = ctx.connected;
            pthread_mutex_unlock(&ctx.mu);
            const char *t = transport_of(session);
            fprintf(stderr, "transport: %s\n", t ? t : "unknown");
            pthread_mutex_lock(&ctx.mu);
            if (!ctx.broadcast) ctx.stage = "announcement";
            continue;
        }
        if (ctx.broadcast > 0 && !catalog_asked) {
            catalog_asked = 1;
            ctx.stage = "catalog";
            int32_t broadcast = ctx.broadcast;
            pthread_mutex_unlock(&ctx.mu);
            int32_t cat = moq_consume_catalog((uint32_t)broadcast, on_catalog, NULL);
            if (cat <= 0) {
                die("moq_consume_catalog");
            }
            pthread_mutex_lock(&ctx.mu);
            continue;
        }
        if (ctx.catalog > 0 && !video) {
            int32_t cat = ctx.catalog;
            ctx.catalog = 0;
            pthread_mutex_unlock(&ctx.mu);
            moq_video_config vc;
            memset(&vc, 0, sizeof vc);
            // No video rendition yet: keep waiting for the next catalog update.
            if (moq_consume_video_config((uint32_t)cat, 0, &vc) == 0) {
                // Ten seconds of allowed lag: a smoke subscriber must not skip the group it joins in.
                video = moq_consume_video((uint32_t)cat, 0, 10 * 1000 * 1000, on_frame, NULL);
                if (video <= 0) {
                    die("moq_consume_video");
                }
            }
            moq_consume_catalog_free((uint32_t)cat);
            pthread_mutex_lock(&ctx.mu);
            if (video > 0) ctx.stage = "first frame";
            continue;
        }
        if (pthread_cond_timedwait(&ctx.cv, &ctx.mu, &deadline) != 0) break;
    }
    size_t bytes = ctx.frame_bytes;
    int32_t failed = ctx.failed;
    pthread_mutex_unlock(&ctx.mu);

    if (bytes > 0) {
        printf("received %zu bytes from %s\n", bytes, name);
        finish(0);
    }
    if (failed) fprintf(stderr, "error: %s\n", ctx.error);
    else fprintf(stderr, "timeout: no frame from %s after %gs (still waiting for the %s)\n", name, timeout_s, ctx.stage);
    finish(1);
}
