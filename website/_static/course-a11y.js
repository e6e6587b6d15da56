/* Accessibility repairs for the theme's widgets (checked by tests/test_site.py with axe-core):
 * - the navigation's expand/collapse toggles (<summary> with only an icon) get a name;
 * - the search button's accessible name includes its visible text. */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("details > summary").forEach((summary) => {
    if (summary.textContent.trim()) return;
    const link = summary.parentElement.parentElement.querySelector(":scope > a");
    summary.setAttribute("aria-label", "Show or hide the pages under " + (link ? link.textContent.trim() : "this entry"));
  });
  document.querySelectorAll("button.search-button-field, button.search-button__button").forEach((button) => {
    const visible = button.textContent.replace(/\s+/g, " ").trim();
    if (visible) button.setAttribute("aria-label", visible);
  });
});
