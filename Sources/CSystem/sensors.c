#include "csystem.h"
#include <sensors/sensors.h>
#include <sensors/error.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

// libsensors' default fatal handler exits the process; ours jumps back to the caller.
static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static jmp_buf s_jump;
static char s_err[256];
static void s_fatal(const char *proc, const char *err) {
    snprintf(s_err, sizeof s_err, "%s: %s", proc ? proc : "?", err ? err : "?");
    longjmp(s_jump, 1);
}
static void s_parse(const char *err, int lineno) { (void)err; (void)lineno; }

static double subval(const sensors_chip_name *chip, const sensors_feature *f, sensors_subfeature_type t) {
    const sensors_subfeature *sf = sensors_get_subfeature(chip, f, t);
    double v;
    if (!sf || !(sf->flags & SENSORS_MODE_R) || sensors_get_value(chip, sf->number, &v) != 0) return NAN;
    return v;
}

int csys_sensors_temps(csys_sensor_temp *out, int cap, int *chips, char *err, size_t errcap) {
    pthread_mutex_lock(&s_lock);
    volatile int n = 0;
    *chips = 0;
    sensors_fatal_error = s_fatal;
    sensors_parse_error = s_parse;
    if (setjmp(s_jump)) {
        snprintf(err, errcap, "libsensors fatal error: %s", s_err);
        pthread_mutex_unlock(&s_lock);
        return -1;
    }
    int rc = sensors_init(NULL);
    if (rc != 0) {
        snprintf(err, errcap, "sensors_init: %s", sensors_strerror(rc));
        pthread_mutex_unlock(&s_lock);
        return -1;
    }
    const sensors_chip_name *chip;
    int ci = 0;
    while ((chip = sensors_get_detected_chips(NULL, &ci)) != NULL) {
        (*chips)++;
        char cname[64];
        if (sensors_snprintf_chip_name(cname, sizeof cname, chip) < 0) snprintf(cname, sizeof cname, "%s", chip->prefix);
        const sensors_feature *f;
        int fi = 0;
        while ((f = sensors_get_features(chip, &fi)) != NULL && n < cap) {
            if (f->type != SENSORS_FEATURE_TEMP) continue;
            csys_sensor_temp *o = &out[n];
            memset(o, 0, sizeof *o);
            snprintf(o->chip, sizeof o->chip, "%s", cname);
            char *label = sensors_get_label(chip, f);
            snprintf(o->label, sizeof o->label, "%s", label ? label : f->name);
            free(label);
            o->temp_c = subval(chip, f, SENSORS_SUBFEATURE_TEMP_INPUT);
            o->max_c = subval(chip, f, SENSORS_SUBFEATURE_TEMP_MAX);
            o->crit_c = subval(chip, f, SENSORS_SUBFEATURE_TEMP_CRIT);
            double a = subval(chip, f, SENSORS_SUBFEATURE_TEMP_ALARM);
            o->alarm = isnan(a) ? -1 : (a != 0);
            n++;
        }
    }
    sensors_cleanup();
    pthread_mutex_unlock(&s_lock);
    return n;
}
