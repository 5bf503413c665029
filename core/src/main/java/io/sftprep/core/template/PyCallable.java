package io.sftprep.core.template;

import java.util.List;
import java.util.Map;

/** Anything a template may call: a builtin, a bound string/dict method, a macro, {@code loop.cycle}, ... */
interface PyCallable {
  Object call(Interpreter in, List<Object> args, Map<String, Object> kwargs);
}
