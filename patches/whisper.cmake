# Build-time changes to whisper.cpp, applied to the copy of whisper.cpp that whisper-rs-sys
# builds (in Cargo's OUT_DIR; the registry sources stay untouched). CMake includes this file after
# every project() call through CMAKE_PROJECT_INCLUDE, set in .cargo/config.toml.
#
# DTW word alignment (changes 1-6). After decoding a window, whisper.cpp runs the decoder once
# more over all its tokens to read the alignment heads' cross-attention, and in that pass it also
# computed the next-token logits of every token (51,865 x 512 multiply-adds each) and the layers
# after the last alignment head, none of which the alignment reads.
#   1-5. the alignment pass builds its graph without the logits (only the alignment heads'
#        attention is computed) and copies no logits out;
#   6.   the median filter over the attention takes the middle value with nth_element instead of
#        sorting each 7-value window (the same value).
# Word times are unchanged (transcripts compared byte for byte).
#
# Sampling (change 7). A decoding state seeded the random numbers of its first decoder once, when
# it was made, so the temperature fallback sampled differently on a state that had decoded
# before. medlyt keeps one state per worker for all its windows, so each run now starts from the
# same seed: a window's text does not depend on what the state decoded before.
#
# OpenBLAS threads (change 8, ggml-blas.cpp). ggml set OpenBLAS's thread count, which is one
# setting for the whole process, to the thread count of each computation. medlyt decodes windows
# side by side, one thread each, so OpenBLAS runs single-threaded in the calling thread: the
# result of a matrix product then does not depend on how many threads a window got, and windows
# decoded at the same time do not change each other's setting halfway.
#
# Every change must find its code exactly once, so a whisper-rs-sys upgrade that moves the code
# stops the build here instead of building unpatched.

function(_read path)
    set(_file "${CMAKE_SOURCE_DIR}/${path}" PARENT_SCOPE)
    set(_code "" PARENT_SCOPE)
    if(EXISTS "${CMAKE_SOURCE_DIR}/${path}")
        file(READ "${CMAKE_SOURCE_DIR}/${path}" _text)
        string(FIND "${_text}" "medlyt-patch" _done)
        if(_done EQUAL -1)
            set(_code "${_text}" PARENT_SCOPE)
        endif()
    endif()
endfunction()

function(_patch number old new)
    string(FIND "${_code}" "${old}" _first)
    string(FIND "${_code}" "${old}" _last REVERSE)
    if(_first EQUAL -1 OR NOT _first EQUAL _last)
        message(FATAL_ERROR "patches/whisper.cmake: change ${number} does not find its code "
            "exactly once in ${_file}; whisper.cpp has changed, update the patch")
    endif()
    string(REPLACE "${old}" "${new}" _code "${_code}")
    set(_code "${_code}" PARENT_SCOPE)
endfunction()

_read(src/whisper.cpp)
if(NOT _code STREQUAL "")
_patch(1 [=[static struct ggml_cgraph * whisper_build_graph_decoder(]=]
[=[// medlyt-patch: set while the decoder runs for the DTW alignment, which needs no logits.
static thread_local bool whisper_dtw_pass = false;

static struct ggml_cgraph * whisper_build_graph_decoder(]=])
_patch(2 [=[struct ggml_tensor * logits = ggml_mul_mat(ctx0, model.d_te, cur);]=]
[=[struct ggml_tensor * logits = whisper_dtw_pass ? nullptr : ggml_mul_mat(ctx0, model.d_te, cur);]=])
_patch(3 [=[ggml_build_forward_expand(gf, logits);]=]
[=[if (logits) { ggml_build_forward_expand(gf, logits); }]=])
_patch(4 [=[if (batch.logits[i] == 0) {]=]
[=[if (batch.logits[i] == 0 || whisper_dtw_pass) {]=])
_patch(5 [=[    if (!whisper_decode_internal(*ctx, *state, state->batch, n_threads, true, nullptr, nullptr)) {]=]
[=[    whisper_dtw_pass = true;
    const bool dtw_decoded = whisper_decode_internal(*ctx, *state, state->batch, n_threads, true, nullptr, nullptr);
    whisper_dtw_pass = false;
    if (!dtw_decoded) {]=])
_patch(6 [=[std::sort(filter.begin(), filter.end());]=]
[=[std::nth_element(filter.begin(), filter.begin() + filter.size()/2, filter.end());]=])
_patch(7 [=[        return -4;
    }

    // TAGS: WHISPER_DECODER_INIT
]=]
[=[        return -4;
    }

    // TAGS: WHISPER_DECODER_INIT
    state->decoders[0].rng = std::mt19937(0);
]=])

file(WRITE "${_file}" "${_code}")
endif()

_read(ggml/src/ggml-blas/ggml-blas.cpp)
if(NOT _code STREQUAL "")
_patch(8 [=[openblas_set_num_threads(ctx->n_threads);]=]
[=[openblas_set_num_threads(1); // medlyt-patch: see patches/whisper.cmake]=])
file(WRITE "${_file}" "${_code}")
message(STATUS "whisper.cpp: patched by patches/whisper.cmake")
endif()
