#ifndef CREDTOOL_CLIBSECRET_SHIM_H
#define CREDTOOL_CLIBSECRET_SHIM_H

// The D-Bus path functions (secret-paths.h) are marked unstable but have not changed since
// libsecret 0.16; they let `get` skip the per-item proxies that the password API builds.
#define SECRET_API_SUBJECT_TO_CHANGE 1
#include <libsecret/secret.h>

/// The schema Docker's secretservice helper uses, so that items are shared both ways.
/// Attributes: `label`, `server`, `username`, `docker_cli` (all strings).
/// Static storage: never freed.
static inline const SecretSchema *cred_docker_schema(void) {
    static const SecretSchema schema = {
        "io.docker.Credentials",
        SECRET_SCHEMA_NONE,
        {
            {"label", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"server", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"username", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"docker_cli", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {NULL, 0},
        },
    };
    return &schema;
}

/// The floating `(ss)` argument of org.freedesktop.DBus.Properties.Get: g_variant_new is
/// variadic, which Swift cannot call. The call that receives it sinks it.
static inline GVariant *cred_property_get_arguments(const char *interface_name, const char *property) {
    return g_variant_new("(ss)", interface_name, property);
}

#endif
