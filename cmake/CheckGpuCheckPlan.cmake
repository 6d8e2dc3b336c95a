# cmake -DSCRIPT=scripts/gpu-check.sh -DOUT=<dir> -DBUILD=<dir> -DLIBTORCH=<cmake prefix> -P this file:
# runs the GPU check's CPU-side steps (configure against the given libtorch, the plan of what it will
# run) and fails unless the configure found Torch and every step of the check is planned.
execute_process(COMMAND ${SCRIPT} ${OUT} --libtorch ${LIBTORCH} --build ${BUILD} --dry-run
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "gpu-check --dry-run failed (${code}):\n${out}\n${err}")
endif()
file(READ ${OUT}/gpu-check.jsonl plan)
foreach(expected
    "\"step\":\"configure\",\"status\":\"ok\",\"torch_dir\":\"/"
    "\"step\":\"build\"" "\"step\":\"tst_cuda\"" "\"step\":\"nccl_two_processes\"" "\"step\":\"bench_sft_0.5b\""
    "\"step\":\"bench_sft_1.5b\"" "\"step\":\"bench_generate_b1\"" "\"step\":\"bench_generate_b64\""
    "\"step\":\"bench_generate_b256\"" "\"step\":\"bench_eval\"" "\"step\":\"transformers_parity\""
    "--config qwen2.5-1.5b --seq 2048 --micro-batch 8" "run --gpus 0,1")
  string(FIND "${plan}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the GPU check's plan lacks ${expected}:\n${plan}")
  endif()
endforeach()
