# Layers the build enforces (README "Layers"). Domain code — the managers,
# models and rules of every service, and gt_base — may use the protobuf
# messages and abseil, never gRPC or MySQL Connector/C++. Their headers live
# in /usr/include with everything else, so linking alone cannot keep them
# out; instead every domain target compiles with a directory, searched
# before the system's, that holds a stand-in for each header of gRPC
# (grpc/, grpcpp/, grpc++/) and of Connector/C++ (cppconn/, mysql_*.h). Each
# stand-in is one #error, so including any of them — directly or through
# another header, e.g. a generated *.grpc.pb.h or gt/mysql_pool.h — fails
# the build with a message that says which layer the code belongs in.
# common/cmake/layering_probe/ holds the test that proves it
# (ctest layering_refuses_*).

find_path(GT_GRPCPP_INCLUDE_DIR grpcpp/grpcpp.h REQUIRED)
find_path(GT_CPPCONN_INCLUDE_DIR cppconn/driver.h REQUIRED)
set(GT_LAYERING_DIR ${CMAKE_BINARY_DIR}/layering/forbidden)

function(gt_write_forbidden root pattern why)
  file(GLOB_RECURSE headers RELATIVE ${root} ${root}/${pattern})
  foreach(h ${headers})
    set(out ${GT_LAYERING_DIR}/${h})
    if(NOT EXISTS ${out})
      file(WRITE ${out}
        "#error \"layering: <${h}> is ${why}; this target is domain code (gt_base: "
        "protobuf messages and abseil only). Put code that needs it in the service's "
        "gRPC edge (*_grpc, grpc_*) or its mysql_* repository.\"\n")
    endif()
  endforeach()
endfunction()
gt_write_forbidden(${GT_GRPCPP_INCLUDE_DIR} "grpcpp/*.h" "gRPC")
gt_write_forbidden(${GT_GRPCPP_INCLUDE_DIR} "grpc++/*.h" "gRPC")
gt_write_forbidden(${GT_GRPCPP_INCLUDE_DIR} "grpc/*.h" "gRPC")
gt_write_forbidden(${GT_CPPCONN_INCLUDE_DIR} "cppconn/*.h" "MySQL Connector/C++")
gt_write_forbidden(${GT_CPPCONN_INCLUDE_DIR} "mysql_*.h" "MySQL Connector/C++")

# Marks `target` as domain code: its sources may not include gRPC or
# Connector/C++ headers (its dependents are not restricted).
function(gt_domain_only target)
  target_include_directories(${target} BEFORE PRIVATE ${GT_LAYERING_DIR})
endfunction()
