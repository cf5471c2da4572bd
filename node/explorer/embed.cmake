# Turns the block explorer's files (this folder) into a C++ source, the way
# genesis/embed.cmake embeds devnet.json: run by node/CMakeLists.txt's add_custom_command
# with -DDIR=<this folder> -DOUT=<generated .cpp>. The served page is index.html with
# style.css inlined as its <style> and lib.js, compute.js then pages.js as its one <script>
# (the CSP admits them by hash, and a page with no external resource loads nothing from
# elsewhere).
# src/explorer_assets.hpp declares what it defines.
set(STYLE_LINK "<link rel=\"stylesheet\" href=\"style.css\">")
set(SCRIPT_TAGS "<script src=\"lib.js\"></script><script src=\"compute.js\"></script><script src=\"pages.js\"></script>")
set(DELIMITER "PACTUMEXPLORER")

file(READ ${DIR}/index.html page)
file(READ ${DIR}/style.css style)
file(READ ${DIR}/lib.js lib)
file(READ ${DIR}/compute.js compute)
file(READ ${DIR}/pages.js pages)
set(script "${lib}${compute}${pages}")

foreach(tag IN ITEMS STYLE_LINK SCRIPT_TAGS)
  string(FIND "${page}" "${${tag}}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "node/explorer/index.html: ${${tag}} not found (embed.cmake inlines it)")
  endif()
endforeach()
string(REPLACE "${STYLE_LINK}" "<style>${style}</style>" page "${page}")
string(REPLACE "${SCRIPT_TAGS}" "<script>${script}</script>" page "${page}")

set(text "// Generated from node/explorer/ by node/explorer/embed.cmake. Do not edit.\n")
string(APPEND text "#include \"explorer_assets.hpp\"\nnamespace pactum::explorer_assets {\n")
foreach(name IN ITEMS page style script)
  string(FIND "${${name}}" ")${DELIMITER}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "node/explorer: the text )${DELIMITER}\" would end the embedded string early")
  endif()
  string(APPEND text "std::string_view ${name}() {\n"
                     "  static const char text[] = R\"${DELIMITER}(${${name}})${DELIMITER}\";\n"
                     "  return {text, sizeof(text) - 1};\n}\n")
endforeach()
string(APPEND text "}  // namespace pactum::explorer_assets\n")
file(WRITE ${OUT} "${text}")
