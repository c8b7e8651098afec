#ifndef CREDTOOL_CLIBSECRET_SHIM_H
#define CREDTOOL_CLIBSECRET_SHIM_H

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

#endif
