// The string sink's one piece of logic: making room for what a renderer says will follow.
#include "ksail_benchstat/render.hpp"

#include "ordered_chunks.hpp"

namespace ksail_benchstat {

void StringSink::expect(std::size_t bytes) {
    if (m_out.capacity() - m_out.size() >= bytes) return;
    m_out.reserve(m_out.size() + bytes);
    advise_huge_pages(m_out.data() + m_out.size(), m_out.capacity() - m_out.size());
}

}  // namespace ksail_benchstat
