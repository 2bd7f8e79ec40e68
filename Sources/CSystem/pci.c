#include "csystem.h"
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>

// libpci's error callback must not return; we jump back to the caller instead of exiting the process.
static pthread_mutex_t pci_lock = PTHREAD_MUTEX_INITIALIZER;
static jmp_buf pci_jump;
static char pci_err[256];

__attribute__((noreturn)) static void pci_err_cb(char *msg, ...) {
    va_list ap; va_start(ap, msg);
    vsnprintf(pci_err, sizeof pci_err, msg, ap);
    va_end(ap);
    longjmp(pci_jump, 1);
}
static void pci_warn_cb(char *msg, ...) { (void)msg; }

static void copy(char *dst, size_t cap, const char *src) {
    snprintf(dst, cap, "%s", src ? src : "");
}

int csys_pci_list(const char *sysfs_dir, const char *ids_file, csys_pci_device *out, int cap,
                  char *err, size_t errcap) {
    pthread_mutex_lock(&pci_lock);
    volatile int n = 0;
    struct pci_access *volatile acc = NULL;
    pci_err[0] = 0;
    if (setjmp(pci_jump)) {
        // acc is deliberately leaked: libpci state after an error is not safe to clean up.
        snprintf(err, errcap, "libpci: %s", pci_err);
        pthread_mutex_unlock(&pci_lock);
        return -1;
    }
    acc = pci_alloc();
    acc->error = pci_err_cb;
    acc->warning = pci_warn_cb;
    acc->debug = pci_warn_cb;
    acc->method = PCI_ACCESS_SYS_BUS_PCI;
    if (sysfs_dir) pci_set_param(acc, "sysfs.path", (char *)sysfs_dir);
    if (ids_file) pci_set_name_list_path(acc, (char *)ids_file, 0);
    pci_init(acc);
    pci_scan_bus(acc);
    for (struct pci_dev *d = acc->devices; d && n < cap; d = d->next) {
        pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_DRIVER);
        csys_pci_device *o = &out[n];
        memset(o, 0, sizeof *o);
        snprintf(o->slot, sizeof o->slot, "%04x:%02x:%02x.%d", d->domain, d->bus, d->dev, d->func);
        o->vendor_id = d->vendor_id; o->device_id = d->device_id; o->class_id = d->device_class;
        o->revision = -1;
        char b[256];
        int fl = PCI_LOOKUP_NO_HWDB;
        copy(o->vendor, sizeof o->vendor, pci_lookup_name(acc, b, sizeof b, fl | PCI_LOOKUP_VENDOR, d->vendor_id));
        copy(o->device, sizeof o->device,
             pci_lookup_name(acc, b, sizeof b, fl | PCI_LOOKUP_DEVICE, d->vendor_id, d->device_id));
        copy(o->class_name, sizeof o->class_name, pci_lookup_name(acc, b, sizeof b, fl | PCI_LOOKUP_CLASS, d->device_class));
        copy(o->driver, sizeof o->driver, pci_get_string_property(d, PCI_FILL_DRIVER));
        n++;
    }
    pci_cleanup(acc);
    pthread_mutex_unlock(&pci_lock);
    return n;
}
