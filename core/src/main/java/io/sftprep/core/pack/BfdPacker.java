package io.sftprep.core.pack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Best-fit-decreasing bin packing: items taken longest first (ties by id), each put in the open bin with the
 * least room that still fits it (ties: the oldest bin), or in a new bin. Deterministic for the same items in any
 * input order. O(n log n).
 *
 * <pre>{@code lengths [5, 3, 4, 2] ids [1, 2, 3, 4], capacity 7  ->  bins [[0, 4→3], ...] i.e. {5,2} {4,3}}</pre>
 */
public final class BfdPacker {
  private BfdPacker() {}

  /**
   * Packs items into bins of {@code capacity}; returns each bin as the indices (into the arguments) of its items,
   * in the order they were placed. Every length must be in {@code 1..capacity}.
   */
  public static List<int[]> pack(long[] ids, int[] lengths, int capacity) {
    int n = lengths.length;
    if (ids.length != n) throw new IllegalArgumentException("Cannot pack: " + ids.length + " ids, " + n + " lengths");
    if (capacity <= 0) throw new IllegalArgumentException("Cannot pack: capacity must be positive, got " + capacity);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (lengths[i] <= 0 || lengths[i] > capacity) {
        throw new IllegalArgumentException("Cannot pack: item " + ids[i] + " has length " + lengths[i]
            + ", outside 1.." + capacity);
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> lengths[a] != lengths[b] ? Integer.compare(lengths[b], lengths[a])
        : Long.compare(ids[a], ids[b]));
    TreeMap<Integer, TreeSet<Integer>> byRoom = new TreeMap<>(); // room left -> bins with that room
    List<int[]> bins = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    List<Integer> room = new ArrayList<>();
    for (int idx : order) {
      int len = lengths[idx];
      var e = byRoom.ceilingEntry(len);
      int bin;
      if (e == null) {
        bin = bins.size();
        bins.add(new int[4]);
        sizes.add(0);
        room.add(capacity);
      } else {
        bin = e.getValue().first();
        e.getValue().remove(bin);
        if (e.getValue().isEmpty()) byRoom.remove(e.getKey());
      }
      int[] items = bins.get(bin);
      int size = sizes.get(bin);
      if (size == items.length) items = Arrays.copyOf(items, size * 2);
      items[size] = idx;
      bins.set(bin, items);
      sizes.set(bin, size + 1);
      int left = room.get(bin) - len;
      room.set(bin, left);
      if (left > 0) byRoom.computeIfAbsent(left, k -> new TreeSet<>()).add(bin);
    }
    List<int[]> out = new ArrayList<>(bins.size());
    for (int b = 0; b < bins.size(); b++) out.add(Arrays.copyOf(bins.get(b), sizes.get(b)));
    return out;
  }
}
