package io.sftprep.core.template;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which names starting with {@code _} are real attributes of the Python object a template value stands for
 * (taken from {@code dir()} under CPython 3.11 / jinja2 3.1.6). jinja2's sandbox refuses every such attribute
 * ({@code SecurityError} when the result is used), while a name that is no attribute is a plain undefined; the
 * difference shows as soon as a template walks on ({@code ''.__class__.__mro__} vs {@code ''.__foo__.bar}).
 *
 * <pre>{@code PyAttributes.has("", "__class__") -> true;  PyAttributes.has("", "__globals__") -> false}</pre>
 */
final class PyAttributes {
  private PyAttributes() {}

  /** The attributes of every object. */
  private static final String COMMON =
      "__class__ __delattr__ __dir__ __doc__ __eq__ __format__ __ge__ __getattribute__ "
      + "__getstate__ __gt__ __hash__ __init__ __init_subclass__ __le__ __lt__ __ne__ __new__ "
      + "__reduce__ __reduce_ex__ __repr__ __setattr__ __sizeof__ __str__ __subclasshook__";

  private static final Map<String, Set<String>> BY_TYPE = new HashMap<>();

  static {
    withCommon("LoopContext",
        "__annotations__ __call__ __dict__ __iter__ __len__ __module__ __next__ __weakref__ "
        + "_after _before _current _iterable _iterator _last_changed_value _length _peek_next "
        + "_recurse _to_iterator _undefined");
    withCommon("method",
        "__annotations__ __builtins__ __call__ __closure__ __code__ __defaults__ __dict__ "
        + "__func__ __get__ __globals__ __kwdefaults__ __module__ __name__ __qualname__ "
        + "__self__");
    withCommon("Macro",
        "__call__ __dict__ __module__ __weakref__ _argument_count _async_invoke "
        + "_default_autoescape _environment _func _invoke");
    withCommon("TemplateReference",
        "_TemplateReference__context __dict__ __getitem__ __module__ __weakref__");
    withCommon("Cycler",
        "__dict__ __module__ __next__ __weakref__");
    withCommon("Joiner",
        "__call__ __dict__ __module__ __weakref__");
    only("Namespace",
        "_Namespace__attrs __class__");
    withCommon("Undefined",
        "__add__ __aiter__ __bool__ __call__ __complex__ __div__ __float__ __floordiv__ "
        + "__getattr__ __getitem__ __int__ __iter__ __len__ __mod__ __module__ __mul__ __neg__ "
        + "__pos__ __pow__ __radd__ __rdiv__ __rfloordiv__ __rmod__ __rmul__ __rpow__ __rsub__ "
        + "__rtruediv__ __slots__ __sub__ __truediv__ _fail_with_undefined_error "
        + "_undefined_exception _undefined_hint _undefined_message _undefined_name "
        + "_undefined_obj");
    withCommon("builtin_function_or_method",
        "__call__ __module__ __name__ __qualname__ __self__ __text_signature__");
    withCommon("function",
        "__annotations__ __builtins__ __call__ __closure__ __code__ __defaults__ __dict__ "
        + "__get__ __globals__ __kwdefaults__ __module__ __name__ __qualname__");
    withCommon("type",
        "__base__ __bases__ __basicsize__ __call__ __class_getitem__ __contains__ __delitem__ "
        + "__dict__ __dictoffset__ __flags__ __getitem__ __instancecheck__ __ior__ __itemsize__ "
        + "__iter__ __len__ __module__ __mro__ __name__ __or__ __prepare__ __qualname__ "
        + "__reversed__ __ror__ __setitem__ __subclasscheck__ __subclasses__ __text_signature__ "
        + "__weakrefoffset__");
    withCommon("range",
        "__bool__ __contains__ __getitem__ __iter__ __len__ __reversed__");
    withCommon("str",
        "__add__ __contains__ __getitem__ __getnewargs__ __iter__ __len__ __mod__ __mul__ "
        + "__rmod__ __rmul__");
    withCommon("Markup",
        "__add__ __contains__ __getitem__ __getnewargs__ __html__ __html_format__ __iter__ "
        + "__len__ __mod__ __module__ __mul__ __radd__ __rmod__ __rmul__ __slots__");
    withCommon("int",
        "__abs__ __add__ __and__ __bool__ __ceil__ __divmod__ __float__ __floor__ "
        + "__floordiv__ __getnewargs__ __index__ __int__ __invert__ __lshift__ __mod__ __mul__ "
        + "__neg__ __or__ __pos__ __pow__ __radd__ __rand__ __rdivmod__ __rfloordiv__ "
        + "__rlshift__ __rmod__ __rmul__ __ror__ __round__ __rpow__ __rrshift__ __rshift__ "
        + "__rsub__ __rtruediv__ __rxor__ __sub__ __truediv__ __trunc__ __xor__");
    withCommon("bool",
        "__abs__ __add__ __and__ __bool__ __ceil__ __divmod__ __float__ __floor__ "
        + "__floordiv__ __getnewargs__ __index__ __int__ __invert__ __lshift__ __mod__ __mul__ "
        + "__neg__ __or__ __pos__ __pow__ __radd__ __rand__ __rdivmod__ __rfloordiv__ "
        + "__rlshift__ __rmod__ __rmul__ __ror__ __round__ __rpow__ __rrshift__ __rshift__ "
        + "__rsub__ __rtruediv__ __rxor__ __sub__ __truediv__ __trunc__ __xor__");
    withCommon("float",
        "__abs__ __add__ __bool__ __ceil__ __divmod__ __float__ __floor__ __floordiv__ "
        + "__getformat__ __getnewargs__ __int__ __mod__ __mul__ __neg__ __pos__ __pow__ "
        + "__radd__ __rdivmod__ __rfloordiv__ __rmod__ __rmul__ __round__ __rpow__ __rsub__ "
        + "__rtruediv__ __sub__ __truediv__ __trunc__");
    withCommon("NoneType",
        "__bool__");
    withCommon("list",
        "__add__ __class_getitem__ __contains__ __delitem__ __getitem__ __iadd__ __imul__ "
        + "__iter__ __len__ __mul__ __reversed__ __rmul__ __setitem__");
    withCommon("tuple",
        "__add__ __class_getitem__ __contains__ __getitem__ __getnewargs__ __iter__ __len__ "
        + "__mul__ __rmul__");
    withCommon("dict_keys",
        "__and__ __contains__ __iter__ __len__ __or__ __rand__ __reversed__ __ror__ __rsub__ "
        + "__rxor__ __sub__ __xor__");
    withCommon("dict_items",
        "__and__ __contains__ __iter__ __len__ __or__ __rand__ __reversed__ __ror__ __rsub__ "
        + "__rxor__ __sub__ __xor__");
    withCommon("dict_values", "__iter__ __len__ __reversed__");
    withCommon("dict",
        "__class_getitem__ __contains__ __delitem__ __getitem__ __ior__ __iter__ __len__ "
        + "__or__ __reversed__ __ror__ __setitem__");
  }

  private static void withCommon(String type, String names) {
    only(type, COMMON + " " + names);
  }

  private static void only(String type, String names) {
    BY_TYPE.put(type, Set.of(names.trim().split(" +")));
  }

  /** Whether {@code name} (starting with {@code _}) is an attribute of {@code obj} in Python. */
  static boolean has(Object obj, String name) {
    if (obj instanceof Namespace && ((Namespace) obj).attrs.containsKey(name)) return true;
    Set<String> names = BY_TYPE.get(Py.typeName(obj));
    return names != null && names.contains(name);
  }
}
