package io.sftprep.core.template;

/**
 * A template value of a jinja2 runtime type ({@code loop}, {@code cycler(...)}, {@code joiner()}, {@code self},
 * a function) that answers {@code obj.name} itself. Names starting with {@code _} never reach it: the sandbox
 * decides those from {@link PyAttributes}.
 */
interface HasAttributes {
  Object attribute(String name);
}
