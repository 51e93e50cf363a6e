//! The WASM modules' memory allocator: power-of-two size classes with one free list
//! each, carved from pages taken with `memory.grow`. The standard library's
//! dlmalloc is about 8 KB of WASM; this is a few hundred bytes. It never returns
//! memory to the browser and rounds every block up to a power of two, which is fine
//! for a widget that allocates a few kilobytes of short strings over a page's life.
//! A block is reused only for its own size class, so there is no coalescing and
//! no fragmentation bookkeeping. Single-threaded (wasm32 without atomics).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

const PAGE: usize = 65_536;
/// Blocks are aligned to their size up to this, which covers every `Layout` Rust
/// and wasm-bindgen use (alignment is at most 16 on wasm32).
const MAX_ALIGN: usize = 4096;
/// Classes 2^3 .. 2^27 bytes (a block of 128 MB is more than a widget ever needs,
/// and keeps every address computation far from overflowing).
const MIN_CLASS: u32 = 3;
const CLASSES: usize = 28;

/// The size class (log2 of the block size) for a layout, or `None` if it is too
/// large or asks for an alignment above [`MAX_ALIGN`].
pub fn class_of(size: usize, align: usize) -> Option<u32> {
    if align > MAX_ALIGN {
        return None;
    }
    let need = size.max(align).max(1 << MIN_CLASS);
    let class = usize::BITS - (need - 1).leading_zeros();
    (class < CLASSES as u32).then_some(class)
}

struct State {
    /// Head of each class's free list (0: empty); a free block's first word
    /// points to the next one.
    free: [usize; CLASSES],
    /// Unused memory between `next` and `end`.
    next: usize,
    end: usize,
}

pub struct Heap(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for Heap {}

impl Heap {
    pub const fn new() -> Heap {
        Heap(UnsafeCell::new(State {
            free: [0; CLASSES],
            next: 0,
            end: 0,
        }))
    }
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

/// Takes `bytes` more from the browser; `(start, end)` of the new memory.
#[cfg(target_arch = "wasm32")]
fn grow(bytes: usize) -> Option<(usize, usize)> {
    let pages = bytes.div_ceil(PAGE);
    let previous = core::arch::wasm32::memory_grow(0, pages);
    (previous != usize::MAX).then(|| (previous * PAGE, (previous + pages) * PAGE))
}

#[cfg(not(target_arch = "wasm32"))]
fn grow(_bytes: usize) -> Option<(usize, usize)> {
    None
}

unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return core::ptr::null_mut();
        };
        // SAFETY: single-threaded, and no allocation happens while this borrow lives.
        let state = unsafe { &mut *self.0.get() };
        let head = state.free[class as usize];
        if head != 0 {
            // SAFETY: `head` is a free block of this class; its first word is the link.
            state.free[class as usize] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let size = 1usize << class;
        let align = size.min(MAX_ALIGN);
        let mut start = (state.next + align - 1) & !(align - 1);
        if start + size > state.end || state.end == 0 {
            // At least 4 pages at a time, so small blocks do not grow memory often.
            let Some((from, to)) = grow((size + align).max(4 * PAGE)) else {
                return core::ptr::null_mut();
            };
            if from != state.end {
                // Somebody else grew memory in between: start over in the new part.
                state.next = from;
            }
            state.end = to;
            start = (state.next + align - 1) & !(align - 1);
        }
        state.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return;
        };
        // SAFETY: as in `alloc`; `ptr` came from `alloc` with this layout, so it is
        // a block of this class, aligned and large enough for the link.
        let state = unsafe { &mut *self.0.get() };
        unsafe { *(ptr as *mut usize) = state.free[class as usize] };
        state.free[class as usize] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Still fits its block: nothing to do.
        if class_of(layout.size(), layout.align()) == class_of(new_size, layout.align()) {
            return ptr;
        }
        // SAFETY: the caller's contract, passed on; the copy stays within both blocks.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        for (size, align, want) in [
            (0, 1, Some(3)),
            (1, 1, Some(3)),
            (8, 8, Some(3)),
            (9, 1, Some(4)),
            (16, 16, Some(4)),
            (17, 4, Some(5)),
            (1, 16, Some(4)),
            (4096, 1, Some(12)),
            (4097, 1, Some(13)),
            (65_536, 8, Some(16)),
            (1 << 27, 1, Some(27)),
            ((1 << 27) + 1, 1, None),
            (8, 8192, None),
        ] {
            assert_eq!(class_of(size, align), want, "{size} {align}");
        }
    }
}
