#ifndef CREDTOOL_CLIBYAML_SHIM_H
#define CREDTOOL_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
