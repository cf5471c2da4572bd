# quality_smoke (ctest): pactum_quality on a few fresh-seed instances of every shape.
#   cmake -DQUALITY=<path to pactum_quality> -P quality_smoke.cmake
#
# What it asserts, and why no more. The matcher does not meet issue 19's quality targets
# yet, and fresh seeds draw new batches on every run, so failing on a mean or worst ratio,
# on a checker violation of the matcher's settlement or on a clean settlement above a
# proven optimum would make this test fail at random; those figures are printed (the
# bench's summary) and measured in docs/PERFORMANCE.md instead. What must hold on every
# seed, and is asserted:
#   - the bench runs every shape to the end and exits 0: no crash, and no MILP of the
#     rules proven infeasible (an equilibrium always exists, so an infeasible model is a
#     bug in the model itself, whatever the matcher does; infeasibility with the optional
#     idle-pool rule is a finding about that rule and is only counted);
#   - its output is well formed: the fresh seed it drew, and per shape one result line
#     with the instance count asked for, counts that add up and ratios that are numbers;
#   - the printed seed reproduces the run: rerun with --seed S, the first instance of
#     every shape gets the same matcher surplus (the matcher is deterministic; GLPK under a
#     time limit is not, so its figures are not compared).
set(shapes default fok-heavy rings)
set(count 3)

execute_process(COMMAND ${QUALITY} --builtin --instances ${count} --time-limit 2 --verbose
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pactum_quality exited with '${rc}' (1: a MILP was infeasible, a bug in the model)")
endif()
if(NOT out MATCHES "seed ([0-9]+) \\(fresh; reproduce this run with --seed ([0-9]+)\\)")
  message(FATAL_ERROR "no fresh seed printed")
endif()
set(seed ${CMAKE_MATCH_1})
math(EXPR first "${seed} * 1000003")

# The matcher's surplus on instance `first` of `shape` in `text` (into `var`).
function(first_matcher_value text shape var)
  string(FIND "${text}" "\nshape ${shape}: " at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no section for shape ${shape}")
  endif()
  string(SUBSTRING "${text}" ${at} -1 section)
  if(NOT section MATCHES "seed ${first}: [^\n]*matcher (-?[0-9.]+)")
    message(FATAL_ERROR "shape ${shape}: no line for instance ${first}")
  endif()
  set(${var} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

foreach(shape IN LISTS shapes)
  set(number "[0-9]+\\.[0-9]+")
  if(NOT out MATCHES "result shape=${shape} instances=${count} proven=([0-9]+) unproven=([0-9]+) infeasible=0 idle_rule_infeasible=[0-9]+ mean=(${number}) worst=(${number}) worst_seed=[0-9]+ violations=[0-9]+ violating_instances=[0-9]+ above_optimum=[0-9]+ targets=(met|missed)\n")
    message(FATAL_ERROR "shape ${shape}: no well-formed result line for ${count} instances")
  endif()
  math(EXPR solved "${CMAKE_MATCH_1} + ${CMAKE_MATCH_2}")
  if(solved GREATER count)
    message(FATAL_ERROR "shape ${shape}: ${solved} instances counted, ${count} run")
  endif()
  first_matcher_value("${out}" ${shape} value)
  set(first_value_${shape} ${value})
endforeach()

execute_process(COMMAND ${QUALITY} --builtin --instances 1 --time-limit 1 --verbose --seed ${seed}
                OUTPUT_VARIABLE again RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the rerun with --seed ${seed} exited with '${rc}'")
endif()
foreach(shape IN LISTS shapes)
  first_matcher_value("${again}" ${shape} value)
  if(NOT value STREQUAL first_value_${shape})
    message(FATAL_ERROR "shape ${shape}: --seed ${seed} does not reproduce instance ${first} "
                        "(matcher ${value}, first run ${first_value_${shape}})")
  endif()
endforeach()
message("quality_smoke: seed ${seed}, ${count} instances of each of ${shapes}, reproducible")

# What a producer records (--producer: the picker over the built-in matcher and the exact
# solver): every shape runs to the end with the picker in the loop and its settlements
# checked. The exact solver's answers depend on GLPK's timing, so nothing is compared.
execute_process(COMMAND ${QUALITY} --producer --solver-deadline 300 --instances 2 --time-limit 1 --seed ${seed}
                OUTPUT_VARIABLE picked RESULT_VARIABLE rc)
message("${picked}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pactum_quality --producer exited with '${rc}'")
endif()
foreach(shape IN LISTS shapes)
  if(NOT picked MATCHES "result shape=${shape} instances=2 ")
    message(FATAL_ERROR "pactum_quality --producer: no result line for shape ${shape}")
  endif()
endforeach()
message("quality_smoke: the producer's picker ran on every shape")
